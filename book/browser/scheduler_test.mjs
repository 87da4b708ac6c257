// Browser test of "play the scheduler" (issue 14: book/src/scheduler.js).
// Usage: node --experimental-websocket book/browser/scheduler_test.mjs URL [shot.png]
// URL is the address `cargo xtask serve` printed (it carries the token).
// On chapter 03 it loses an update from the keyboard, checks the values
// shown, and replays loom's counterexample to its end; then it replays the
// other players' traces (chapters 03 and 04) and deadlocks the transfers.
import { open } from "./cdp.mjs";

const [url, shot] = process.argv.slice(2);
const widget = (id) => `document.querySelector('div.scheduler[data-scenario="${id}"]')`;

async function press(page, keys) {
    for (const key of keys) {
        for (const type of ["keyDown", "keyUp"]) {
            await page.send("Input.dispatchKeyEvent", { type, key, text: key, unmodifiedText: key });
        }
    }
}

async function check(page, id, keys, want) {
    const w = widget(id);
    await page.until(`${w} && ${w}.getAttribute('data-status')`, `the ${id} player`);
    await page.eval(`${w}.scrollIntoView(); ${w}.focus(); document.activeElement === ${w}`);
    await press(page, keys);
    const got = await page.eval(`({
        status: ${w}.getAttribute('data-status'),
        replay: ${w}.getAttribute('data-replay'),
        unmatched: ${w}.getAttribute('data-unmatched'),
        text: ${w}.querySelector('.sched-status').textContent,
        values: Object.fromEntries([...${w}.querySelectorAll('dd[data-object]')]
            .map((d) => [d.dataset.object, d.dataset.value])),
        rows: ${w}.querySelectorAll('.sched-log tr').length - 1,
    })`);
    for (const [key, value] of Object.entries(want)) {
        const actual = key === "value" ? got.values[value[0]] : got[key];
        const expected = key === "value" ? value[1] : value;
        const ok = expected instanceof RegExp ? expected.test(actual) : actual === expected;
        if (!ok) throw new Error(`${id} after keys "${keys}": ${key} is ${JSON.stringify(actual)}, ` +
            `not ${expected}; everything: ${JSON.stringify(got)}`);
    }
    console.log(`${id}, keys "${keys}": ${got.text}`);
    return got;
}

const chapter = (file) => url.replace("/?token=", `/${file}?token=`);
const page = await open(chapter("03-race-conditions.html"));
try {
    // 0 1 1: both read 1, thread 1 writes 2; 0: thread 0 writes 2; 0: get().
    await check(page, "lost-update", "01100", {
        status: "broken", text: /^Lost update: .* the count is 2, not 3\./, value: ["value", "2"], rows: 5,
    });
    if (shot) await page.screenshot(shot.replace(".png", "-played.png"));
    const steps = JSON.parse(await page.eval(
        `${widget("lost-update")}.querySelector('script.loom-trace').textContent`)).steps.length;
    await check(page, "lost-update", "l" + "n".repeat(steps), {
        status: "replayed", replay: `${steps}/${steps}`, unmatched: "0", rows: steps,
        text: /^loom's run ends here\. RACE FOUND: lost update\./, value: ["value", "2"],
    });
    if (shot) await page.screenshot(shot);
    await check(page, "overdraw", "01100", { status: "broken", text: /^2 withdrawals of 60 were paid/ });
    await check(page, "overdraw", "l" + "n".repeat(10), {
        status: "replayed", unmatched: "0", text: /RACE FOUND: check-then-act/,
    });
    await page.send("Page.navigate", { url: chapter("04-deadlocks-and-ordering.html") });
    await page.until(`location.pathname.endsWith("04-deadlocks-and-ordering.html") && ${widget("deadlock")}`,
        "chapter 04");
    // Each takes its first lock, then each waits for the other's.
    await check(page, "deadlock", "0101", { status: "broken", text: /^Deadlock!/ });
    await check(page, "deadlock", "lnnnn", {
        status: "replayed", replay: "4/4", unmatched: "0", text: /DEADLOCK: every thread waits/,
    });
    if (shot) await page.screenshot(shot.replace(".png", "-deadlock.png"));
    console.log("ok: lost an update by choosing threads, and replayed loom's counterexamples to their end");
} catch (error) {
    if (shot) await page.screenshot(shot.replace(".png", "-failed.png")).catch(() => {});
    console.error(`FAILED: ${error.message}`);
    process.exitCode = 1;
} finally {
    await page.close();
}
