/* SIA: the few lines of script every page shares. */
(function () {
  /* List filters change the address without reloading (htmx): export links take the filters in force when clicked. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-export]");
    if (!link) return;
    var url = new URL(link.dataset.export, location.href);
    new URLSearchParams(location.search).forEach(function (value, key) {
      if (key !== "page" && key !== "format" && key !== "domain") url.searchParams.append(key, value);
    });
    link.href = url.toString();
  });
})();
