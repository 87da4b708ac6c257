// Play the scheduler (chapters 03 and 04): two threads' code side by side,
// the shared state beside them. You choose which thread takes its next
// step; "Show loom's counterexample" replays the execution that loom found,
// from the trace the page embeds (book/src/generated/traces/, written by
// `cargo xtask figures traces`). Plain JS, offline, keyboard-drivable:
// keys 0 and 1 step a thread, L shows loom's run, N its next step, R resets.
// `?scheduler=ID:KEYS` on the page's address presses KEYS in widget ID on
// load (the headless browser test, xtask/src/trace/player.rs, uses it).
(function () {
    "use strict";

    var WRAP = 1n << 64n; // u64 arithmetic, as Rust's wrapping_sub
    function u64(v) { return ((v % WRAP) + WRAP) % WRAP; }

    // Each line: the code shown, its line in tests/shared/wrong_answers.rs,
    // the ops loom records for it, and what it does when you run it.
    var SCENARIOS = {
        "lost-update": {
            goal: "Make the count end at 2, not 3: lose an update.",
            objects: { value: 1n },
            threads: [
                ["increment(), then get()", [
                    { code: "let seen = *self.value.lock().unwrap();", src: 80, ops: ["lock", "unlock"],
                      run: function (s, me) { me.seen = s.value; return "reads " + me.seen; } },
                    { code: "*self.value.lock().unwrap() = seen + 1;", src: 81, ops: ["lock", "unlock"],
                      run: function (s, me) { s.value = me.seen + 1n; return "writes " + s.value; } },
                    { code: "counter.get()  // after join()", src: 84, ops: ["lock", "unlock"], join: true,
                      run: function (s, me) { me.got = s.value; return "get() = " + s.value; } }]],
                ["increment()", [
                    { code: "let seen = *self.value.lock().unwrap();", src: 80, ops: ["lock", "unlock"],
                      run: function (s, me) { me.seen = s.value; return "reads " + me.seen; } },
                    { code: "*self.value.lock().unwrap() = seen + 1;", src: 81, ops: ["lock", "unlock"],
                      run: function (s, me) { s.value = me.seen + 1n; return "writes " + s.value; } }]]
            ],
            broken: function (s) {
                return s.value === 3n ? null :
                    "Lost update: two increments from 1, and the count is " + s.value + ", not 3.";
            }
        },
        "overdraw": {
            goal: "Both threads withdraw 60 from 100: make both of them be paid.",
            objects: { balance: 100n },
            threads: [
                ["withdraw(60), then balance()", withdraw(true)],
                ["withdraw(60)", withdraw(false)]
            ],
            broken: function (s, mine) {
                var paid = mine.filter(function (m) { return m.paid; }).length;
                return paid === 1 ? null : paid + " withdrawals of 60 were paid from 100; the balance " +
                    "wrapped around below zero to " + s.balance + ".";
            }
        },
        "deadlock": {
            goal: "Deadlock the two transfers: make each thread wait for the other's lock.",
            objects: { "account #1": 100n, "account #2": 100n },
            threads: [
                ["transfer(#2 -> #1, 20)", transfer("account #2", "account #1", 20n)],
                ["transfer(#1 -> #2, 30)", transfer("account #1", "account #2", 30n)]
            ],
            broken: function () { return null; }
        }
    };

    function withdraw(main) {
        var lines = [
            { code: "let enough = *self.balance.lock().unwrap() >= amount;", src: 180, ops: ["lock", "unlock"],
              run: function (s, me) { me.enough = s.balance >= 60n; return "reads " + s.balance + (me.enough ? ": enough" : ": not enough"); } },
            { code: "if enough {\n    let mut balance = self.balance.lock().unwrap();\n" +
                    "    *balance = balance.wrapping_sub(amount);\n}", src: 182, ops: ["lock", "unlock"],
              skip: function (me) { return !me.enough; },
              run: function (s, me) { s.balance = u64(s.balance - 60n); me.paid = true; return "writes " + s.balance; } }
        ];
        if (main) {
            lines.push({ code: "account.balance()  // after join()", src: 188, ops: ["lock", "unlock"], join: true,
                         run: function (s) { return "balance() = " + s.balance; } });
        }
        return lines;
    }

    function transfer(from, to, amount) {
        return [
            { code: "let f = from.balance.lock().unwrap(); // " + from.replace("account ", ""), src: 60, ops: ["lock"], takes: from,
              run: function (s) { return "locks " + from; } },
            { code: "let t = to.balance.lock().unwrap(); // " + to.replace("account ", ""), src: 61, ops: ["lock"], takes: to,
              run: function (s) { return "locks " + to; } },
            { code: "settle(f, t, amount) // unlocks both", src: 62, ops: ["unlock", "unlock"], frees: [from, to],
              run: function (s) { s[from] -= amount; s[to] += amount; return "moves " + amount + ", unlocks both"; } }
        ];
    }

    function el(tag, cls, text) {
        var e = document.createElement(tag);
        if (cls) e.className = cls;
        if (text !== undefined) e.textContent = text;
        return e;
    }

    function Widget(root) {
        this.root = root;
        this.id = root.getAttribute("data-scenario");
        this.sc = SCENARIOS[this.id];
        var data = root.querySelector("script.loom-trace");
        this.trace = data ? JSON.parse(data.textContent) : null;
        this.build();
        this.reset();
    }

    Widget.prototype.build = function () {
        var w = this, sc = this.sc, root = this.root;
        root.setAttribute("tabindex", "0");
        root.setAttribute("role", "group");
        root.setAttribute("aria-label", "Play the scheduler: " + sc.goal);
        root.appendChild(el("p", "sched-goal", sc.goal));
        var board = el("div", "sched-board");
        this.lineEls = [];
        this.localEls = [];
        sc.threads.forEach(function (t, i) {
            var col = el("div", "sched-thread");
            col.appendChild(el("div", "sched-title", "thread " + i + ": " + t[0]));
            var code = el("ol", "sched-code");
            w.lineEls.push(t[1].map(function (line) {
                var li = el("li", "", line.code);
                code.appendChild(li);
                return li;
            }));
            col.appendChild(code);
            var local = el("div", "sched-local");
            w.localEls.push(local);
            col.appendChild(local);
            var step = el("button", "sched-step", "Step thread " + i + " (key " + i + ")");
            step.setAttribute("aria-keyshortcuts", String(i));
            step.addEventListener("click", function () { w.step(i); });
            col.appendChild(step);
            board.appendChild(col);
        });
        var shared = el("div", "sched-shared");
        shared.appendChild(el("div", "sched-title", "shared state"));
        this.sharedEl = el("dl");
        shared.appendChild(this.sharedEl);
        board.appendChild(shared);
        root.appendChild(board);
        var bar = el("div", "sched-bar");
        [["Show loom's counterexample (L)", "l", function () { w.showLoom(); }],
         ["Next step of loom's run (N)", "n", function () { w.next(); }],
         ["Reset (R)", "r", function () { w.reset(); }]].forEach(function (b) {
            var button = el("button", "", b[0]);
            button.setAttribute("aria-keyshortcuts", b[1].toUpperCase());
            button.addEventListener("click", b[2]);
            bar.appendChild(button);
        });
        this.nextButton = bar.children[1];
        root.appendChild(bar);
        this.status = el("p", "sched-status");
        this.status.setAttribute("aria-live", "polite");
        root.appendChild(this.status);
        this.log = el("table", "sched-log");
        root.appendChild(this.log);
        root.addEventListener("keydown", function (e) {
            var k = e.key.toLowerCase();
            if (/^[0-9]$/.test(k) && Number(k) < sc.threads.length) w.step(Number(k));
            else if (k === "l") w.showLoom();
            else if (k === "n") w.next();
            else if (k === "r") w.reset();
            else return;
            e.preventDefault();
        });
    };

    Widget.prototype.reset = function () {
        var sc = this.sc;
        this.state = {};
        for (var k in sc.objects) this.state[k] = sc.objects[k];
        this.held = {};
        this.pc = sc.threads.map(function () { return 0; });
        this.ops = sc.threads.map(function () { return 0; });
        this.mine = sc.threads.map(function () { return {}; });
        this.waiting = sc.threads.map(function () { return false; });
        this.replay = null;
        this.unmatched = 0;
        this.log.textContent = "";
        var head = el("tr");
        head.appendChild(el("th", "", "step"));
        sc.threads.forEach(function (t, i) { head.appendChild(el("th", "", "thread " + i)); });
        this.log.appendChild(head);
        this.say("Your move: choose which thread runs its next line.", "playing");
        this.render();
    };

    Widget.prototype.done = function (i) { return this.pc[i] >= this.sc.threads[i][1].length; };

    // Runs thread i's next line, if it can run.
    Widget.prototype.step = function (i) {
        if (this.replay || this.root.getAttribute("data-status") === "broken") return;
        var line = this.sc.threads[i][1][this.pc[i]], me = this.mine[i], w = this;
        if (!line) return this.say("Thread " + i + " has finished.", "playing");
        if (line.join && !this.sc.threads.every(function (t, j) { return j === i || w.done(j); })) {
            return this.say("Thread " + i + " waits in join() for the other thread to finish.", "playing");
        }
        if (line.takes && this.held[line.takes] !== undefined && this.held[line.takes] !== i) {
            this.waiting[i] = true;
            this.addRow(i, "waits for " + line.takes);
            this.render();
            if (this.waiting.every(function (x, j) { return x || w.done(j); })) {
                return this.say("Deadlock! Each thread holds one account's lock and waits for the " +
                    "other's, forever. Now show loom's counterexample: it found the same.", "broken");
            }
            return this.say("Thread " + i + " waits: thread " + this.held[line.takes] + " holds " +
                line.takes + ".", "playing");
        }
        this.waiting[i] = false;
        if (line.takes) this.held[line.takes] = i;
        (line.frees || []).forEach(function (o) { delete w.held[o]; });
        var text = line.run(this.state, me);
        this.addRow(i, text);
        this.pc[i]++;
        while (!this.done(i) && this.sc.threads[i][1][this.pc[i]].skip &&
               this.sc.threads[i][1][this.pc[i]].skip(me)) this.pc[i]++;
        this.render();
        if (this.sc.threads.every(function (t, j) { return w.done(j); })) {
            var broken = this.sc.broken(this.state, this.mine);
            if (broken) return this.say(broken + " Now show loom's counterexample.", "broken");
            return this.say("Every thread finished and nothing broke. Reset and try another order.", "finished");
        }
        this.say("Thread " + i + ": " + text + ".", "playing");
    };

    Widget.prototype.addRow = function (thread, text) {
        var row = el("tr");
        row.appendChild(el("td", "", String(this.log.rows.length)));
        for (var t = 0; t < this.sc.threads.length; t++) row.appendChild(el("td", "", t === thread ? text : ""));
        this.log.appendChild(row);
    };

    Widget.prototype.say = function (text, status) {
        this.status.textContent = text;
        this.root.setAttribute("data-status", status);
    };

    Widget.prototype.render = function () {
        var w = this;
        this.lineEls.forEach(function (lines, i) {
            lines.forEach(function (li, n) {
                li.className = n === w.pc[i] ? "sched-next" + (w.waiting[i] ? " sched-waits" : "")
                    : (n < w.pc[i] ? "sched-ran" : "");
            });
            var me = w.mine[i], parts = [];
            for (var k in me) parts.push(k + " = " + me[k]);
            w.localEls[i].textContent = w.done(i) ? "finished" : (parts.join(", ") || "\u00a0");
        });
        this.sharedEl.textContent = "";
        for (var k in this.state) {
            this.sharedEl.appendChild(el("dt", "", k));
            var dd = el("dd", "", String(this.state[k]));
            dd.setAttribute("data-object", k);
            dd.setAttribute("data-value", String(this.state[k]));
            if (this.held[k] !== undefined) dd.appendChild(el("small", "", "locked by thread " + this.held[k]));
            this.sharedEl.appendChild(dd);
        }
        this.nextButton.disabled = !this.replay;
        this.root.setAttribute("data-replay", this.replay ? this.replay.at + "/" + this.trace.steps.length : "");
        this.root.setAttribute("data-unmatched", String(this.unmatched));
    };

    Widget.prototype.showLoom = function () {
        if (!this.trace) return;
        this.reset();
        this.replay = { at: 0 };
        this.say("loom's counterexample: press N (or the button) for each step it ran.", "replaying");
        this.render();
    };

    // The trace's text for one step, as the failing test's table writes it.
    function cell(s) {
        var v = s.value || "";
        switch (s.op) {
        case "load": return s.object + ".load(" + s.ordering + ") -> " + v + (s.stale ? "  STALE" : "");
        case "store": return s.object + ".store(" + v + ", " + s.ordering + ")";
        case "try_lock": if (v === "busy") return s.object + ".try_lock(): BUSY, not taken";
            return s.object + ".try_lock(): finds " + v;
        case "lock": return s.object + ".lock(): finds " + v;
        case "unlock": return s.object + " unlocked: leaves " + v;
        case "lock_blocked": return s.object + ".lock(): WAITS for it";
        default: return s.object + "." + s.op + "(" + (s.ordering || "") + "): " + v;
        }
    }

    // Plays the next step of loom's run: highlights its line, shows its value.
    Widget.prototype.next = function () {
        if (!this.replay) return;
        var steps = this.trace.steps, s = steps[this.replay.at];
        if (!s) return;
        var t = s.thread, lines = this.sc.threads[t][1], line = lines[this.pc[t]];
        var op = s.op === "lock_blocked" ? "lock" : s.op;
        var src = Number(s.location.split(":").pop());
        if (!line || line.ops[this.ops[t]] !== op || line.src !== src) this.unmatched++;
        if (s.op === "lock" || s.op === "try_lock") this.held[s.object] = t;
        if (s.op === "unlock") delete this.held[s.object];
        if (s.value && s.op !== "lock_blocked" && s.object in this.state) {
            this.state[s.object] = s.value.split(" -> ").pop();
        }
        this.addRow(t, cell(s));
        this.replay.at++;
        if (s.op === "lock_blocked") this.waiting[t] = true;
        else if (line && ++this.ops[t] >= line.ops.length) { this.ops[t] = 0; this.pc[t]++; }
        this.render();
        if (this.replay.at === steps.length) {
            this.say("loom's run ends here. " + this.trace.verdict, "replayed");
        } else {
            this.say("Step " + this.replay.at + " of " + steps.length + ": thread " + t + ", " +
                     cell(s) + ".", "replaying");
        }
    };

    function start() {
        var widgets = {};
        document.querySelectorAll("div.scheduler[data-scenario]").forEach(function (root) {
            if (SCENARIOS[root.getAttribute("data-scenario")]) {
                widgets[root.getAttribute("data-scenario")] = new Widget(root);
            }
        });
        var script = new URLSearchParams(location.search).get("scheduler");
        if (!script) return;
        var parts = script.split(":"), w = widgets[parts[0]];
        (parts[1] || "").split("").forEach(function (k) {
            if (!w) return;
            if (k === "e") { w.showLoom(); while (w.replay.at < w.trace.steps.length) w.next(); }
            else w.root.dispatchEvent(new KeyboardEvent("keydown", { key: k }));
        });
        if (w) w.root.scrollIntoView();
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
})();
