// Instructor mode: `?instructor` on any page turns it on (remembered in this
// browser), `?learner` turns it off. It adds the "Notes" button of the
// presenter view (presenter.js); the notes never show in the page itself.
(function () {
    var params = new URLSearchParams(window.location.search);
    if (params.has("instructor")) localStorage.setItem("course-instructor", "1");
    if (params.has("learner")) localStorage.removeItem("course-instructor");
    if (localStorage.getItem("course-instructor") === "1") {
        document.documentElement.classList.add("instructor");
    }
})();
