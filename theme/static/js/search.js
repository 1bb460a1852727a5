/* The search page: Pagefind's Default UI over every bundle newsroom/search.py wrote
   (pagefind/ and, past NEWS_SEARCH_SHARD_SIZE articles, pagefind/shard-N/ listed in
   shards.json, merged with Pagefind's mergeIndex).

   - ?q= (the header form) is searched at once; ?sort=date sorts newest first (Pagefind's
     `sort` option over the articles' data-pagefind-sort="date:..."), chosen with the
     "Sort results" select, which keeps the address in step (history.replaceState).
   - The search box is named by the page's visible label (labelInput).
   - Each result links to its article with a Text Fragment (#:~:text=...) made from the
     excerpt's highlighted words and the words around them, so the browser itself
     highlights the query on the article and scrolls to it: no script on article pages. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") return;
  var bundle = root.getAttribute("data-bundle");
  var params = new URLSearchParams(location.search);
  var sortBox = document.getElementById("search-sort");
  var ui = null;
  var searched = { term: "", filters: null };  // what the UI was last started with

  /* The words of `text` as a list, without empty strings. */
  function words(text) {
    return text.split(/\s+/).filter(Boolean);
  }

  /* A text directive's part, percent-encoded: "-", "," and "&" are its syntax. */
  function encodePart(text) {
    return encodeURIComponent(text).replace(/-/g, "%2D");
  }

  /* "text=prefix-,match,-suffix" for the `index`-th part of `parts` (a list of
     {text, mark}), with up to three words of context on each side, within its sentence
     (Pagefind joins an article's blocks with ". ", and a directive cannot cross blocks). */
  function directive(parts, index) {
    var before = parts.slice(0, index).map(function (p) { return p.text; }).join("");
    var after = parts.slice(index + 1).map(function (p) { return p.text; }).join("");
    // Pagefind marks a whole word with its punctuation ("pay."): keep only the word
    var word = /^([^\p{L}\p{N}]*)([\s\S]*?)([^\p{L}\p{N}]*)$/u.exec(parts[index].text.trim());
    var match = word[2] || parts[index].text.trim();
    before = (before + word[1]).split(/[.!?:;]\s/).pop();
    after = (word[3] + after).split(/[.!?:;](\s|$)/)[0];
    var prefix = /\S$/.test(before) ? [] : words(before).slice(-3);
    var suffix = /^\S/.test(after) ? [] : words(after).slice(0, 3);
    return "text=" + (prefix.length ? encodePart(prefix.join(" ")) + "-," : "") +
      encodePart(match) + (suffix.length ? ",-" + encodePart(suffix.join(" ")) : "");
  }

  /* The Text Fragment ("#:~:text=...&text=...") highlighting each distinct word Pagefind
     marked in `excerpt` (HTML with <mark>), or "" when nothing is marked. */
  function textFragment(excerpt) {
    var template = document.createElement("template");
    template.innerHTML = excerpt;  // inert: a template's content runs nothing
    var parts = Array.prototype.map.call(template.content.childNodes, function (node) {
      return { text: node.textContent, mark: node.nodeName === "MARK" };
    });
    var seen = {}, directives = [];
    parts.forEach(function (part, i) {
      var key = part.text.trim().toLowerCase();
      if (part.mark && key && !seen[key] && directives.length < 3) {
        seen[key] = true;
        directives.push(directive(parts, i));
      }
    });
    return directives.length ? "#:~:" + directives.join("&") : "";
  }

  /* Pagefind's processResult: link the result to its article with the query highlighted. */
  function withHighlight(result) {
    result.url = result.url.split("#")[0] + textFragment(result.excerpt || "");
    return result;
  }

  /* Name the UI's search box by the page's visible label (Pagefind's input has no id, and
     only its placeholder as a title): the one attribute this script sets on Pagefind's
     markup is that id, which the label's `for` then names (set here, not in the HTML, where
     no such control exists yet: the Nu HTML Checker refuses a `for` naming none). */
  function labelInput() {
    var input = root.querySelector(".pagefind-ui__search-input");
    var label = document.querySelector(".search__label");
    if (!input || !label) return;
    input.id = "search-q";
    label.htmlFor = input.id;
  }

  /* (Re)start the UI with the chosen sort, searching `term` with the `filters` given; on
     arrival (`first`) with no query, the search box takes the focus (never on a re-sort:
     the focus stays on the sort control). */
  function start(shards, term, filters, first) {
    searched = { term: term, filters: filters };
    var sort = sortBox && sortBox.value === "date" ? { date: "desc" } : null;
    ui = new PagefindUI({
      element: "#search",
      bundlePath: bundle,
      mergeIndex: shards.map(function (s) { return { bundlePath: bundle + s }; }),
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      sort: sort,
      processResult: withHighlight,
      autofocus: Boolean(first && !term),
      translations: { placeholder: "e.g. pay award" }
    });
    labelInput();
    if (filters) ui.triggerFilters(filters);
    if (term) ui.triggerSearch(term);
  }

  /* Start the UI again, as `start`, once the old one is gone. Pagefind's search module is
     one per page, shared by every UI; destroying a UI destroys it asynchronously, and a new
     UI that used it meanwhile would never get results: so wait for that (the module's own
     destroy, a no-op once done). Re-sorts run one after another (`restarting`). */
  var restarting = Promise.resolve();
  function restart(shards, term, filters) {
    restarting = restarting
      .then(function () {
        if (ui) ui.destroy();
        ui = null;
        return import(bundle + "pagefind.js");
      })
      .then(function (pagefind) { return pagefind.destroy(); })
      .catch(function () {})
      .then(function () { start(shards, term, filters, false); });
  }

  /* The filters ticked in the UI, as triggerFilters takes them ({category: ["Pay"]}). */
  function tickedFilters() {
    var found = null;
    root.querySelectorAll(".pagefind-ui__filter-checkbox:checked").forEach(function (box) {
      var name = box.name, value = box.value;
      found = found || {};
      (found[name] = found[name] || []).push(value);
    });
    return found;
  }

  fetch(bundle + "shards.json")
    .then(function (r) { return r.ok ? r.json() : []; })
    .catch(function () { return []; })
    .then(function (shards) {
      if (sortBox) {
        sortBox.value = params.get("sort") === "date" ? "date" : "";
        sortBox.addEventListener("change", function () {
          // (during a restart there is no UI: the last term and filters then)
          var input = ui && root.querySelector(".pagefind-ui__search-input");
          var term = input ? input.value : searched.term || "";
          var filters = input ? tickedFilters() : searched.filters;
          var url = new URL(location.href);
          if (term) url.searchParams.set("q", term); else url.searchParams.delete("q");
          if (sortBox.value) url.searchParams.set("sort", sortBox.value);
          else url.searchParams.delete("sort");
          history.replaceState(null, "", url);
          restart(shards, term, filters);
        });
      }
      start(shards, params.get("q"), null, true);
    });
})();
