// A search box over a grouped list of checkboxes (the check's "What does the AI do?").
// It hides the options whose label does not contain the words typed (a group's title
// matching shows the whole group), groups left empty, and says when nothing matches.
// Ticked options stay visible. Without JavaScript the grouped list works as it is.
// When the case's sector (P-SECTOR) is answered on the same page, the groups typical of
// it move to the top at once (as the server orders them on the next visit) and are marked.
(function () {
  var SECTOR = 'input[name="P-SECTOR"]';

  function reorder(set, sector) {
    var groups = Array.prototype.slice.call(set.querySelectorAll("fieldset.option-group"));
    if (!groups.length) return;
    var anchor = groups[groups.length - 1].nextSibling;
    var parent = groups[0].parentNode;
    function typical(group) {
      return !!sector && group.getAttribute("data-sectors").split(" ").indexOf(sector) !== -1;
    }
    groups.sort(function (a, b) {
      var first = (typical(a) ? 0 : 1) - (typical(b) ? 0 : 1);
      return first || Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
    });
    groups.forEach(function (group) {
      parent.insertBefore(group, anchor);
      var mark = typical(group);
      group.classList.toggle("typical", mark);
      var legend = group.querySelector("legend");
      var badge = legend.querySelector(".badge");
      if (mark && !badge) {
        badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = set.getAttribute("data-typical-label");
        legend.appendChild(document.createTextNode(" "));
        legend.appendChild(badge);
      } else if (!mark && badge) {
        if (badge.previousSibling && badge.previousSibling.nodeType === 3) {
          badge.previousSibling.textContent = badge.previousSibling.textContent.replace(/\s+$/, "");
        }
        badge.remove();
      }
    });
  }

  document.querySelectorAll("fieldset[data-option-search]").forEach(function (set) {
    var form = set.closest("form");
    if (!form) return;
    form.querySelectorAll(SECTOR).forEach(function (input) {
      input.addEventListener("change", function () {
        var checked = form.querySelector(SECTOR + ":checked");
        if (checked) reorder(set, checked.value);
      });
    });
  });

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function filter(set, box, none) {
    var words = fold(box.value).split(/\s+/).filter(Boolean);
    var shown = 0;  // options that match (ticked ones stay in view besides)
    function matches(text) {
      var folded = fold(text);
      return words.every(function (word) { return folded.indexOf(word) !== -1; });
    }
    set.querySelectorAll(".checkbox").forEach(function (item) {
      var group = item.closest("fieldset.option-group");
      var title = group ? group.querySelector("legend").textContent : "";
      var input = item.querySelector("input");
      var found = !words.length || matches(item.textContent) || matches(title);
      item.hidden = !(found || input.checked);
      if (found) shown += 1;
    });
    set.querySelectorAll("fieldset.option-group").forEach(function (group) {
      group.hidden = !group.querySelector(".checkbox:not([hidden])");
    });
    none.hidden = shown > 0;
  }

  document.querySelectorAll("fieldset[data-option-search]").forEach(function (set) {
    var id = set.getAttribute("data-option-id");
    var wrap = document.createElement("div");
    wrap.className = "option-search";
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = set.getAttribute("data-option-search");
    var box = document.createElement("input");
    box.type = "search";
    box.id = id;
    box.autocomplete = "off";
    var none = document.createElement("p");
    none.className = "help";
    none.setAttribute("role", "status");
    none.textContent = set.getAttribute("data-option-none");
    none.hidden = true;
    wrap.appendChild(label);
    wrap.appendChild(box);
    wrap.appendChild(none);
    var help = set.querySelector(":scope > .help");
    set.insertBefore(wrap, help ? help.nextSibling : set.firstChild.nextSibling);
    box.addEventListener("input", function () { filter(set, box, none); });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();  // the search does not submit the form
    });
  });
})();
