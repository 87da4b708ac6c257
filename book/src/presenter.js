// Presenter view. In instructor mode (`?instructor`, see course.js) a
// "Speaker notes" button opens presenter.html in a window of its own; this
// page tells it, over a BroadcastChannel, its notes and which section is on
// screen, on load, on scroll and when it gets the focus. The notes are
// <script type="text/x-speaker-notes"> elements (written by the book's
// preprocessor, xtask/src/book/preprocess.rs): the projected page never
// shows them, and mdBook's search index skips scripts.
(function () {
    if (!document.documentElement.classList.contains("instructor")) return;
    if (typeof BroadcastChannel !== "function") return;
    var channel = new BroadcastChannel("course-presenter");
    var main = document.querySelector("main");
    if (!main) return;
    var headings = Array.prototype.slice.call(main.querySelectorAll("h1, h2, h3"));
    var before = function (a, b) {
        return a === b || (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    };
    // Each notes block belongs to the last heading above it.
    var notes = Array.prototype.map.call(main.querySelectorAll("script.speaker-notes"), function (s) {
        var heading = null;
        headings.forEach(function (h) { if (before(h, s)) heading = h; });
        return { heading: heading, title: heading ? heading.textContent : document.title, html: s.textContent };
    });
    // The notes of the section on screen: the last block at or above the
    // last heading that has passed the top third of the window.
    var active = function () {
        var current = null;
        headings.forEach(function (h) {
            if (h.getBoundingClientRect().top < window.innerHeight / 3) current = h;
        });
        var found = notes.length ? 0 : -1;
        notes.forEach(function (n, i) {
            if (current && n.heading && before(n.heading, current)) found = i;
        });
        return found;
    };
    var sent = null;
    var send = function (force) {
        var now = active();
        if (!force && now === sent) return;
        sent = now;
        channel.postMessage({
            kind: "page",
            title: document.title,
            path: window.location.pathname,
            active: now,
            sections: notes.map(function (n) { return { title: n.title, html: n.html }; }),
        });
    };
    channel.onmessage = function (event) {
        if (event.data && event.data.kind === "hello" && document.visibilityState === "visible") send(true);
    };
    var queued = false;
    window.addEventListener("scroll", function () {
        if (queued) return;
        queued = true;
        window.requestAnimationFrame(function () { queued = false; send(false); });
    }, { passive: true });
    window.addEventListener("focus", function () { send(true); });
    send(true);

    var buttons = document.querySelector(".right-buttons");
    if (!buttons) return;
    var button = document.createElement("a");
    button.id = "presenter-button";
    button.href = "#";
    button.title = "Speaker notes: open them in a window of their own";
    button.setAttribute("aria-label", button.title);
    button.textContent = "Notes";
    button.addEventListener("click", function (event) {
        event.preventDefault();
        var root = typeof path_to_root === "string" ? path_to_root : "";
        window.open(root + "presenter.html", "course-presenter", "popup,width=640,height=760");
    });
    buttons.insertBefore(button, buttons.firstChild);
})();
