// The navigation's menu button on a phone (Bootstrap's navbar toggler markup, without
// Bootstrap's script). Without JavaScript the page keeps the class "no-js" and app.css
// shows the links wrapped instead of the button.
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
  });
})();
