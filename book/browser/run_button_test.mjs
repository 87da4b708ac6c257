// Browser test of the Run buttons (issue: run the book's code from the book).
// Usage: node --experimental-websocket book/browser/run_button_test.mjs URL [shot.png]
// URL is the address `cargo xtask serve` printed (it carries the token).
import { open } from "./cdp.mjs";

const [url, shot] = process.argv.slice(2);
const chapter = url.replace("/?token=", "/01-memory-threads.html?token=");
const page = await open(chapter);
try {
    await page.until("document.querySelector('pre.playground .play-button:not([hidden])')",
        "a Run button");
    const block = "document.querySelector('pre.playground code.editable').closest('pre')";
    const output = `(${block}.querySelector('.result') || {}).innerText || ''`;
    const run = async (what) => {
        // On a fresh machine the server first compiles the course's crates
        // for snippets (minutes on 2 cores); the button says so meanwhile.
        for (let tries = 0; ; tries++) {
            await page.eval(`${block}.querySelector('.play-button').click()`);
            const text = await page.until(
                `(t => t && !t.startsWith('Compiling') && t)(${output})`,
                `the output of ${what}`, 90000);
            if (text.includes("still compiling") && tries < 100) {
                await new Promise((done) => setTimeout(done, 3000));
                continue;
            }
            console.log(`${what}: ${JSON.stringify(text)}`);
            return text;
        }
    };
    const first = await run("the block as written");
    if (!first.includes("[1, 1, 1, 1, 2, 2, 2, 2]")) throw new Error("unexpected output");

    // Edit it as the chapter suggests: a 12-byte buffer, a third chunk.
    await page.eval(`(e => e.setValue(e.getValue()
        .replace('vec![0u8; 8]', 'vec![0u8; 12]')
        .replace('assert_eq!(pixels, [1, 1, 1, 1, 2, 2, 2, 2]);', '')))(
        ace.edit(${block}.querySelector('code')))`);
    const edited = await run("the edited block");
    if (!edited.includes("[1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]")) throw new Error("edit not run");
    await page.eval(`${block}.scrollIntoView()`);
    if (shot) await page.screenshot(shot);
    console.log("ok: the Run button ran the block, then the edited block, on this machine");
} catch (error) {
    if (shot) await page.screenshot(shot).catch(() => {});
    console.error(`FAILED: ${error.message}`);
    process.exitCode = 1;
} finally {
    await page.close();
}
