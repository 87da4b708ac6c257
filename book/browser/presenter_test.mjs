// Browser test of the workshop kit (issue 17): in instructor mode the
// speaker notes open in a second window that follows the page, never in the
// page itself; in a workshop the reference solution is locked until released.
// Usage: node --experimental-websocket book/browser/presenter_test.mjs URL [shot-prefix]
// URL is the address `cargo xtask serve` printed (self-study, every solution open).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { open } from "./cdp.mjs";

const [url, shot] = process.argv.slice(2);
const root = fileURLToPath(new URL("../..", import.meta.url));
const chapter = (base, page, query = "") => base.replace("/?token=", `/${page}?${query}token=`);
const page = await open(chapter(url, "01-memory-threads.html", "instructor&"));
const notesWindow = "window.open('', 'course-presenter')";
const notesText = `${notesWindow}.document.getElementById('notes').innerText`;

/** Starts `xtask serve` in workshop mode, building into a folder of its own. */
async function workshopServer(release) {
    const server = spawn(`${root}/target/release/xtask`,
        ["serve", "--port", "0", "--release-solutions", release], {
            cwd: root, stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, MDBOOK_BUILD__BUILD_DIR: "target/book-workshop-test" },
        });
    let log = "";
    server.stdout.on("data", (d) => { log += d; });
    server.stderr.on("data", (d) => { log += d; });
    for (let i = 0; i < 600; i++) {
        const found = log.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/);
        if (found) return { url: found[0], stop: () => server.kill() };
        if (server.exitCode !== null) break;
        await new Promise((done) => setTimeout(done, 500));
    }
    server.kill();
    throw new Error(`the workshop server did not start:\n${log}`);
}

async function solutionBox(base, file) {
    await page.send("Page.navigate", { url: chapter(base, file) });
    await page.until(`document.location.pathname.endsWith('${file}') &&
        document.readyState === 'complete' && document.querySelector('main h1')`, file);
    return page.eval(`({
        locked: !!document.querySelector('.solution-locked'),
        open: [...document.querySelectorAll('main summary')].some(s => s.textContent === 'Reference solution'),
    })`);
}

let servers = [];
try {
    const button = await page.until("document.getElementById('presenter-button')", "the Notes button");
    const inPage = await page.eval("document.body.innerText");
    if (inPage.includes("Live-code the")) throw new Error("the notes show in the projected page");
    // A real click (a user gesture), as the instructor's.
    await page.send("Runtime.evaluate", {
        expression: "document.getElementById('presenter-button').click()", userGesture: true,
    });
    const text = await page.until(`(t => t.includes('Live-code') && t)(${notesText})`,
        "chapter 01's notes in the second window");
    const { targetInfos } = await page.send("Target.getTargets");
    const pages = targetInfos.filter((t) => t.type === "page").map((t) => t.url);
    if (!pages.some((u) => u.includes("/presenter.html"))) throw new Error(`no presenter window: ${pages}`);
    console.log(`the second window shows: ${JSON.stringify(text.slice(0, 80))}...`);

    // It follows the page: scroll to the exercise, then go to chapter 02.
    await page.eval("document.getElementById('exercise-01').scrollIntoView()");
    await page.until(`${notesWindow}.document.querySelector('section.active h2').textContent === 'Exercise 01'`,
        "the exercise's notes highlighted");
    if (shot) {
        await page.screenshot(`${shot}-page.png`);
        const html = await page.eval(`${notesWindow}.document.documentElement.outerHTML`);
        const { frameTree } = await page.send("Page.getFrameTree");
        await page.send("Page.setDocumentContent", { frameId: frameTree.frame.id, html });
        await page.screenshot(`${shot}-notes.png`);
    }
    await page.send("Page.navigate", { url: chapter(url, "02-memory-processes.html") });
    await page.until(`(t => t.includes('Draw the two pipes'))(${notesText})`, "chapter 02's notes");
    console.log("ok: the notes are in the second window only, and follow the page");

    // Self-study: the solution is open. A workshop: locked until released.
    if (!(await solutionBox(url, "01-memory-threads.html")).open) throw new Error("self-study box missing");
    servers.push(await workshopServer("02"));
    let box = await solutionBox(servers[0].url, "01-memory-threads.html");
    if (!box.locked || box.open) throw new Error(`01 is not locked: ${JSON.stringify(box)}`);
    if (shot) {
        await page.eval("document.querySelector('.solution-locked').scrollIntoView()");
        await page.screenshot(`${shot}-locked.png`);
    }
    if (!(await solutionBox(servers[0].url, "02-memory-processes.html")).open) throw new Error("02 not released");
    servers.shift().stop();
    servers.push(await workshopServer("01-02"));
    box = await solutionBox(servers[0].url, "01-memory-threads.html");
    if (box.locked || !box.open) throw new Error(`01 is not released: ${JSON.stringify(box)}`);
    console.log("ok: the reference solution stays locked until it is released");
} catch (error) {
    if (shot) await page.screenshot(`${shot}-failed.png`).catch(() => {});
    console.error(`FAILED: ${error.message}`);
    process.exitCode = 1;
} finally {
    servers.forEach((s) => s.stop());
    await page.close();
}
