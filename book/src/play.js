// Run buttons that run the code on your own machine, offline.
//
// `cargo xtask serve` answers POST /evaluate.json in the Rust playground's
// format, for a browser that holds its token (a cookie set by the address it
// prints). mdBook's own buttons ask the public playground and stay hidden
// offline, so this script shows the button on the book's complete programs
// and editable blocks, and takes the click before mdBook's handler does.
(function () {
    "use strict";

    var LIMIT_MS = 60000; // the server stops a run after 10 s; compiling may queue
    var served = location.protocol === "http:" &&
        (location.hostname === "127.0.0.1" || location.hostname === "localhost");
    var HOW = "Run needs the course's local server: in the repository, run " +
        "`cargo xtask serve` and open the address it prints.";

    function visibleText(code) {
        var copy = code.cloneNode(true);
        copy.querySelectorAll(".boring").forEach(function (n) { n.remove(); });
        return copy.textContent;
    }

    // A block worth running: the reader may edit it, or it is a whole program.
    function runnable(pre) {
        var code = pre.querySelector("code");
        if (!code) return false;
        var skip = ["no_run", "compile_fail", "ignore", "should_panic"];
        if (skip.some(function (c) { return code.classList.contains(c); })) return false;
        return code.classList.contains("editable") || /\bfn main\s*\(/.test(visibleText(code));
    }

    function resultBlock(pre) {
        var block = pre.querySelector(".result");
        if (!block) {
            block = document.createElement("code");
            block.className = "result hljs language-bash";
            pre.append(block);
        }
        return block;
    }

    function show(block, text, kind) {
        block.innerText = text;
        block.classList.toggle("result-no-output", kind === "none");
        block.classList.toggle("run-error", kind === "error");
    }

    function run(pre) {
        var block = resultBlock(pre);
        if (!served) return show(block, HOW, "error");
        var edition = "2024";
        pre.querySelector("code").classList.forEach(function (c) {
            if (c.indexOf("edition") === 0) edition = c.slice(7);
        });
        var body = JSON.stringify({
            code: playground_text(pre), edition: edition, version: "stable", optimize: "0"
        });
        show(block, "Compiling and running on your machine...", "none");
        var abort = new AbortController();
        var timer = setTimeout(function () { abort.abort(); }, LIMIT_MS);
        fetch("/evaluate.json", {
            method: "POST", credentials: "same-origin", signal: abort.signal,
            headers: { "Content-Type": "application/json" }, body: body
        }).then(function (response) {
            if (response.status === 403) {
                throw new Error("The server refused: open the address that " +
                    "`cargo xtask serve` printed (it carries a token).");
            }
            if (!response.ok) throw new Error(HOW);
            return response.json();
        }).then(function (answer) {
            if (answer.error) show(block, answer.error, "error");
            else if (answer.result.trim() === "") show(block, "No output", "none");
            else show(block, answer.result, "output");
        }).catch(function (error) {
            show(block, error.name === "TypeError" ? HOW : error.message, "error");
        }).finally(function () { clearTimeout(timer); });
    }

    document.querySelectorAll("pre.playground").forEach(function (pre) {
        var button = pre.querySelector(".play-button");
        if (!button || !runnable(pre)) return;
        button.hidden = false;
        button.classList.remove("hidden");
        button.title = served ? "Run this code on your machine" : HOW;
        button.setAttribute("aria-label", button.title);
        var code = pre.querySelector("code");
        if (window.ace && code.classList.contains("editable")) {
            window.ace.edit(code).commands.addCommand({
                name: "run-here",
                bindKey: { win: "Ctrl-Enter", mac: "Ctrl-Enter" },
                exec: function () { run(pre); }
            });
        }
    });

    // Capture phase: this runs before mdBook's own click handler, which
    // would send the code to the public playground.
    document.addEventListener("click", function (event) {
        var button = event.target.closest && event.target.closest(".play-button");
        if (!button) return;
        event.stopImmediatePropagation();
        event.preventDefault();
        run(button.closest("pre"));
    }, true);
})();
