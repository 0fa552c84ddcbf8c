// The indicator page's preview (results/indicator.html): a new period refreshes the value and
// its cells without reloading the page. Without this script the form is a plain GET.
(function () {
  var form = document.getElementById("preview-form");
  if (!form || !window.fetch) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams(new FormData(form));
    params.set("part", "preview");
    fetch(form.dataset.preview + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response); })
      .then(function (html) {
        var old = document.getElementById("preview");
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#preview");
        if (old && fresh) old.replaceWith(fresh);
        params.delete("part");
        history.replaceState(null, "", "?" + params.toString());
      })
      .catch(function () { form.submit(); });
  });
})();
