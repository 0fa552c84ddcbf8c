// The area picker (people/_picker.html): choosing a province fills the district select, and so
// on, from /people/areas/?parent=<code>. Without this script the "Show places below" button
// posts the form back to do the same.
document.querySelectorAll("select[data-picker]").forEach(function (select) {
  var group = select.dataset.picker, level = +select.dataset.level;
  var below = function (n) { return document.querySelector('select[data-picker="' + group + '"][data-level="' + n + '"]'); };
  select.addEventListener("change", function () {
    for (var n = level + 1; n < 4; n++) { var s = below(n); if (s) s.length = 1; }
    var next = below(level + 1);
    if (!next || !select.value) return;
    fetch(select.dataset.children + "?parent=" + encodeURIComponent(select.value))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        data.areas.forEach(function (a) { next.add(new Option(a.name, a.code)); });
      });
  });
});
document.querySelectorAll(".picker-fallback").forEach(function (p) { p.hidden = true; });
