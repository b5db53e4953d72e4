// Search inside a long facet list: hides the options whose label does not contain the text.
document.addEventListener("input", function (event) {
  var box = event.target.closest("[data-facet-filter]");
  if (!box) return;
  var list = document.getElementById(box.getAttribute("data-facet-filter"));
  var text = box.value.trim().toLowerCase();
  list.querySelectorAll("li").forEach(function (item) {
    item.hidden = text !== "" && item.textContent.toLowerCase().indexOf(text) === -1;
  });
});
