/* The search page: Pagefind's Default UI over every bundle tools/search_index.py wrote
   (pagefind/ and, past 2,000 articles, pagefind/shard-N/ listed in shards.json, merged with
   Pagefind's mergeIndex). A ?q= query from the header form is searched at once. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") return;
  var bundle = root.getAttribute("data-bundle");
  function start(shards) {
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundle,
      mergeIndex: shards.map(function (s) { return { bundlePath: bundle + s }; }),
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      autofocus: !new URLSearchParams(location.search).get("q"),
      translations: { placeholder: "Search news, e.g. pay award" }
    });
    var q = new URLSearchParams(location.search).get("q");
    if (q) ui.triggerSearch(q);
  }
  fetch(bundle + "shards.json")
    .then(function (r) { return r.ok ? r.json() : []; })
    .catch(function () { return []; })
    .then(start);
})();
