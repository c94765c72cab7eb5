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

  /* No inline handlers (Content-Security-Policy): behaviour is declared with data attributes. */
  /* <button data-confirm="Yakin?">: asks before the form is sent. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
  /* <select data-autosubmit>: sends its form when the choice changes. */
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  });
  /* <span data-width="42">: a bar as wide as the percentage (style attributes are not allowed). */
  function widths(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-width]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, parseFloat(bar.dataset.width) || 0));
      bar.style.width = value + "%";
    });
  }
  widths(document);
  document.addEventListener("htmx:load", function (event) { widths(event.target); });

  /* <div hx-get="..." hx-trigger="load" data-lazy-error="...">: a part loaded after the page (a diagram, the gap
     numbers) says so when it cannot be had (the server failed, the link dropped) instead of "loading..." for ever. */
  function lazyFailed(event) {
    var slot = event.detail.elt;
    if (!slot || !slot.hasAttribute || !slot.hasAttribute("data-lazy-error")) return;
    var message = document.createElement("p");
    message.className = "muted";
    message.setAttribute("role", "status");
    message.textContent = slot.getAttribute("data-lazy-error");
    slot.replaceChildren(message);
  }
  document.addEventListener("htmx:responseError", lazyFailed);
  document.addEventListener("htmx:sendError", lazyFailed);
})();
