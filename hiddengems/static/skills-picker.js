// Search-as-you-type for the skills profile's pickers (templates/skills/_picker.html).
// Without this file the pickers work as plain GET forms; with it, typing asks
// skills.search for JSON and fills the same result forms from the picker's <template>.
(function () {
  "use strict";

  var DELAY = 200;
  var MIN_LENGTH = 2;

  function setText(root, selector, text) {
    root.querySelectorAll(selector).forEach(function (node) {
      node.textContent = node.classList.contains("visually-hidden") ? " " + text : text;
    });
  }

  function render(picker, data, text) {
    var list = picker.querySelector("[data-picker-list]");
    var status = picker.querySelector("[data-picker-status]");
    var problem = picker.querySelector("[data-picker-problem]");
    var words = picker.querySelector("[data-picker-words]").dataset;
    var template = picker.querySelector("[data-picker-template]");
    var input = picker.querySelector("input[type=search]");
    list.replaceChildren();
    problem.textContent = data.problem || "";
    input.classList.toggle("is-invalid", Boolean(data.problem));
    status.textContent = data.problem ? "" : !data.hits.length ? words.nothing : data.has_more ? words.more : "";
    data.hits.forEach(function (hit) {
      var item = template.content.firstElementChild.cloneNode(true);
      item.querySelector("[data-hit-id]").value = String(hit.id);
      item.querySelector("[data-hit-q]").value = text;
      setText(item, "[data-hit-label]", hit.label);
      var extra = [];
      if (hit.matched) extra.push("\u201c" + hit.matched + "\u201d");
      if (hit.isco_code) extra.push("ISCO " + hit.isco_code);
      setText(item, "[data-hit-extra]", extra.join(" "));
      list.appendChild(item);
    });
  }

  function attach(picker) {
    var input = picker.querySelector("input[type=search]");
    var url = picker.dataset.searchUrl;
    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = input.value;
      if (text.trim().length < MIN_LENGTH) return;
      timer = window.setTimeout(function () {
        var mine = ++asked;
        var query = url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(text);
        fetch(query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) {
            return response.json();
          })
          .then(function (data) {
            if (mine === asked) render(picker, data, text);
          })
          .catch(function () {
            if (mine !== asked) return;
            picker.querySelector("[data-picker-status]").textContent =
              picker.querySelector("[data-picker-words]").dataset.failed;
          });
      }, DELAY);
    });
  }

  document.querySelectorAll("[data-picker]").forEach(attach);
})();
