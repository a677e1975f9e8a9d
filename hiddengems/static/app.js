// What every page does with JavaScript; each page works without it too.
// 1. The navigation's menu button on a phone (Bootstrap's navbar toggler markup, without
//    Bootstrap's script). Without JavaScript the page keeps the class "no-js" and app.css
//    shows the links wrapped instead of the button.
// 2. The error summary (templates/base.html): a field with an error inside a closed
//    <details> is shown, and a link of the summary puts the focus in its field, not only
//    scrolls to it (the GOV.UK pattern).
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll('[data-bs-toggle="collapse"]').forEach(function (button) {
      var target = document.querySelector(button.getAttribute("data-bs-target"));
      if (!target) return;
      button.addEventListener("click", function () {
        var open = target.classList.toggle("show");
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
    var summary = document.getElementById("error-summary");
    if (!summary) return;
    document.querySelectorAll("details").forEach(function (details) {
      if (details.querySelector(".is-invalid, [aria-invalid=true]")) details.open = true;
    });
    summary.querySelectorAll('a[href^="#"]').forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (!field) return;
        event.preventDefault();
        var focusable = field.matches("input, select, textarea, button") ? field : field.querySelector("input, select, textarea");
        var label = field.id && document.querySelector('label[for="' + field.id + '"]');
        (label || field).scrollIntoView();
        (focusable || field).focus({ preventScroll: true });
      });
    });
  });
})();
