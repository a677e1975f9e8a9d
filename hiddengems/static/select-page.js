// The lead's list: "Select all on this page" is a link that reloads the page with every
// box ticked (it works without JavaScript). With JavaScript it becomes a checkbox that
// ticks and clears the boxes of this page in place.
(function () {
  "use strict";
  var link = document.getElementById("pick-page");
  if (!link) { return; }
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name="case_id"]'));
  var all = document.createElement("input");
  all.type = "checkbox";
  all.className = "form-check-input";
  all.id = "pick-page-box";
  all.setAttribute("aria-label", link.textContent.trim());
  if (boxes.length && boxes.every(function (b) { return b.checked; })) {
    all.checked = true;
    all.setAttribute("aria-label", link.dataset.selectLabel || all.getAttribute("aria-label"));
  }
  all.addEventListener("change", function () {
    boxes.forEach(function (b) { b.checked = all.checked; });
  });
  boxes.forEach(function (b) {
    b.addEventListener("change", function () {
      all.checked = boxes.every(function (x) { return x.checked; });
    });
  });
  link.replaceWith(all);
}());
