// Instructor mode: `?instructor` on any page shows the speaker notes from then
// on (remembered in this browser), `?learner` hides them again.
(function () {
    var params = new URLSearchParams(window.location.search);
    if (params.has("instructor")) localStorage.setItem("course-instructor", "1");
    if (params.has("learner")) localStorage.removeItem("course-instructor");
    if (localStorage.getItem("course-instructor") === "1") {
        document.documentElement.classList.add("instructor");
    }
})();
