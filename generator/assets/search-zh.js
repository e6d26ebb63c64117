/* qingdan: the search dialog named, and Zensical's in Chinese.
 *
 * Material's search box is a dialog without a name (axe: aria-dialog-name); screen readers announce it as 搜索.
 *
 * Zensical (0.0.x) draws its search dialog in a shadow root with English words written into its script
 * ("Search", "24 results", "No results"); theme.language does not reach them. This file puts the Chinese words in
 * their place whenever the dialog writes them. With Material for MkDocs there is no such dialog and it does nothing.
 */
(function () {
  "use strict";
  var TEXT = {
    "No results": "没有找到符合条件的结果",
    "Loading search\u2026": "正在初始化搜索引擎",
    "Search is unavailable. Reload the page to try again.": "搜索暂时不可用，请刷新页面后再试。",
    "Filters": "筛选",
    "Tags": "标签"
  };
  var LABEL = {
    "Search": "搜索",
    "Close search": "关闭搜索",
    "Filters": "筛选",
    "Search results": "搜索结果"
  };
  var COUNT = /^([\d,]+) results?$/;

  function translateText(node) {
    var text = node.data.trim();
    var count = COUNT.exec(text);
    if (count) node.data = "找到 " + count[1] + " 个符合条件的结果";
    else if (Object.prototype.hasOwnProperty.call(TEXT, text)) node.data = TEXT[text];
  }

  function translateElement(el) {
    ["placeholder", "aria-label"].forEach(function (name) {
      var value = el.getAttribute(name);
      if (value && Object.prototype.hasOwnProperty.call(LABEL, value)) el.setAttribute(name, LABEL[value]);
    });
  }

  function translate(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (var node = walker.currentNode; node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) translateText(node);
      else if (node.nodeType === Node.ELEMENT_NODE) translateElement(node);
    }
  }

  function watch(root) {
    translate(root);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        if (change.type === "characterData") translateText(change.target);
        else if (change.type === "attributes") translateElement(change.target);
        else change.addedNodes.forEach(translate);
      });
    }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true,
                       attributeFilter: ["placeholder", "aria-label"] });
  }

  function find() {
    for (var el = document.body.lastElementChild; el; el = el.previousElementSibling) {
      if (el.shadowRoot && !el.hasAttribute("data-qd-zh")) {
        el.setAttribute("data-qd-zh", "");
        watch(el.shadowRoot);
        return true;
      }
    }
    return false;
  }

  var dialog = document.querySelector('.md-search[role="dialog"]');
  if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索");
  if (document.querySelector("input.md-search__input")) return;  // Material's own search box speaks Chinese
  if (!find()) {
    var looking = new MutationObserver(function () { if (find()) looking.disconnect(); });
    looking.observe(document.body, { childList: true });
  }
})();
