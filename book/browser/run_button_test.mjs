// Browser test of the Run buttons: they run the book's code on this machine.
// Usage: node --experimental-websocket book/browser/run_button_test.mjs URL [shot.png]
// URL is the address `cargo xtask serve` printed (it carries the token).
import { open } from "./cdp.mjs";

const [url, shot] = process.argv.slice(2);
const pause = (ms) => new Promise((done) => setTimeout(done, ms));

/** Opens a chapter through the tokened address; returns the page and its
 * first editable block's run and edit functions. */
async function chapter(file) {
    const page = await open(url.replace("/?token=", `/${file}?token=`));
    await page.until("document.querySelector('pre.playground .play-button:not([hidden])')",
        `a Run button in ${file}`);
    const block = "document.querySelector('pre.playground code.editable').closest('pre')";
    const output = `(${block}.querySelector('.result') || {}).innerText || ''`;
    const run = async (what) => {
        // On a fresh machine the server first compiles the course's crates
        // for snippets (minutes on 2 cores); the button says so meanwhile.
        for (let tries = 0; ; tries++) {
            await page.eval(`${block}.querySelector('.result')?.remove()`);
            await page.eval(`${block}.querySelector('.play-button').click()`);
            const text = await page.until(
                `(t => t && !t.startsWith('Compiling') && t)(${output})`,
                `the output of ${what}`, 90000);
            if (text.includes("still compiling") && tries < 100) {
                await pause(3000);
                continue;
            }
            console.log(`${file}, ${what}: ${JSON.stringify(text)}`);
            return text;
        }
    };
    const edit = (from, to) => page.eval(`(e => e.setValue(e.getValue().replace(
        ${JSON.stringify(from)}, ${JSON.stringify(to)})))(ace.edit(${block}.querySelector('code')))`);
    return { page, block, run, edit };
}

async function check(file, body) {
    const { page, ...rest } = await chapter(file);
    try {
        await body(rest);
    } catch (error) {
        if (shot) await page.screenshot(shot).catch(() => {});
        throw error;
    } finally {
        await page.close();
    }
}

try {
    // Chapter 01: run the block, then edit it as the chapter suggests.
    await check("01-memory-threads.html", async ({ run, edit }) => {
        if (!(await run("the block as written")).includes("[1, 1, 1, 1, 2, 2, 2, 2]")) {
            throw new Error("unexpected output");
        }
        await edit("vec![0u8; 8]", "vec![0u8; 12]");
        await edit("assert_eq!(pixels, [1, 1, 1, 1, 2, 2, 2, 2]);", "");
        if (!(await run("the edited block")).includes("[1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]")) {
            throw new Error("the edited block did not run");
        }
    });
    // Chapter 03: the racy counter loses updates (a run whose threads never
    // overlap loses none, so up to ten runs); the fix in the page loses none.
    await check("03-race-conditions.html", async ({ run, edit }) => {
        let lost = false;
        for (let i = 0; i < 10 && !lost; i++) {
            const text = await run(`the racy counter, run ${i + 1}`);
            const found = text.match(/, (\d+) lost/);
            if (!found) throw new Error("unexpected output");
            lost = Number(found[1]) > 0;
        }
        if (!lost) throw new Error("the racy counter lost nothing in 10 runs");
        await edit("let value = counter.load(Ordering::Relaxed); // race", "");
        await edit("counter.store(value + 1, Ordering::Relaxed); // race", "");
        await edit("// counter.fetch_add(1, Ordering::Relaxed);",
            "counter.fetch_add(1, Ordering::Relaxed);");
        if (!(await run("the fixed counter")).includes(", 0 lost")) {
            throw new Error("the fixed counter lost updates");
        }
    });
    console.log("ok: Run buttons ran chapter 01's and 03's blocks, as written and edited");
} catch (error) {
    console.error(`FAILED: ${error.message}`);
    process.exitCode = 1;
}
