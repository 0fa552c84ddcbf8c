/* The safe house's quick exit (docs/cases.md).
   The "Quick exit" link, or Escape pressed three times within two seconds: the case disappears
   from the screen at once, the session is signed out, and the tab goes to a neutral page that
   replaces this one in the history. Case pages are sent with Cache-Control: no-store, so Back
   asks the server again, which, signed out, shows the sign-in page instead of the case. */
(function () {
  "use strict";
  var exit = document.getElementById("quick-exit");
  if (!exit) { return; }
  var leaving = false;

  function leave(event) {
    if (event) { event.preventDefault(); }
    if (leaving) { return; }
    leaving = true;
    var neutral = exit.getAttribute("href");
    document.title = "…";
    document.body.innerHTML = "";
    var body = new FormData();
    body.append("csrfmiddlewaretoken", exit.dataset.csrf);
    var go = function () { window.location.replace(neutral); };
    var signedOut = fetch(exit.dataset.signOut, {
      method: "POST", body: body, credentials: "same-origin", keepalive: true, redirect: "manual",
    });
    // A slow line must not keep the page open: leave after a second whatever happens.
    Promise.race([signedOut, new Promise(function (done) { setTimeout(done, 1000); })])
      .then(go, go);
  }

  exit.addEventListener("click", leave);
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) { leave(event); }
  });
  document.querySelectorAll(".print-slip").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
