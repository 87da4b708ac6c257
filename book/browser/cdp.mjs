// A minimal Chrome DevTools Protocol driver for the book's browser tests:
// headless Debian Chromium, no npm packages (Node 20 needs
// --experimental-websocket; Node 22 has WebSocket built in).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Starts Chromium on `url`; returns a page to drive, and `close()`. */
export async function open(url, { width = 1280, height = 2000 } = {}) {
    const profile = mkdtempSync(join(tmpdir(), "course-chromium-"));
    const chromium = spawn(process.env.CHROMIUM || "chromium", [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        `--user-data-dir=${profile}`, "--remote-debugging-port=0",
        `--window-size=${width},${height}`, url,
    ], { stdio: "ignore" });
    let port;
    for (let i = 0; i < 100 && !port; i++) {
        await sleep(100);
        try { port = readFileSync(join(profile, "DevToolsActivePort"), "utf8").split("\n")[0]; }
        catch { /* not yet */ }
    }
    if (!port) throw new Error("Chromium did not start (is Debian's `chromium` installed?)");
    let target;
    for (let i = 0; i < 100 && !target; i++) {
        const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
        target = list.find((t) => t.type === "page");
        if (!target) await sleep(100);
    }
    const socket = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((ok, fail) => { socket.onopen = ok; socket.onerror = fail; });
    let next = 0;
    const waiting = new Map();
    socket.onmessage = (event) => {
        const message = JSON.parse(event.data);
        const pending = waiting.get(message.id);
        if (!pending) return;
        waiting.delete(message.id);
        if (message.error) pending.fail(new Error(message.error.message));
        else pending.ok(message.result);
    };
    const send = (method, params = {}) => new Promise((ok, fail) => {
        const id = ++next;
        waiting.set(id, { ok, fail });
        socket.send(JSON.stringify({ id, method, params }));
    });
    const page = {
        send,
        /** Evaluates `expression` in the page and returns its value. */
        async eval(expression) {
            const out = await send("Runtime.evaluate",
                { expression, returnByValue: true, awaitPromise: true });
            if (out.exceptionDetails) throw new Error(out.exceptionDetails.text + ": " + expression);
            return out.result.value;
        },
        /** Waits until `expression` is truthy; returns its value. */
        async until(expression, what, ms = 60000) {
            const end = Date.now() + ms;
            for (;;) {
                const value = await page.eval(expression).catch(() => undefined);
                if (value) return value;
                if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
                await sleep(200);
            }
        },
        async screenshot(file) {
            const { data } = await send("Page.captureScreenshot", { format: "png" });
            const { writeFileSync } = await import("node:fs");
            writeFileSync(file, Buffer.from(data, "base64"));
        },
        async close() {
            socket.close();
            chromium.kill();
            await new Promise((done) => chromium.once("exit", done));
            // Chromium's helper processes may still write to the profile
            // for a moment after it exits: retry, then leave it to the OS.
            for (let i = 0; i < 20; i++) {
                try {
                    rmSync(profile, { recursive: true, force: true });
                    break;
                } catch {
                    await sleep(100);
                }
            }
        },
    };
    return page;
}
