/* qingdan: checklist ticks remembered in this browser only (localStorage), on http and from file:// alike.
 * Each box is keyed by its item's stable data-qd-task (page#duty or page#duty/action digest), never its position. */
(function () {
  "use strict";
  var PREFIX = "qingdan.tick:";

  function storage() {
    try {
      var store = window.localStorage;
      store.getItem(PREFIX);
      return store;
    } catch (e) {  // storage switched off, or a browser that refuses it for local files
      return null;
    }
  }

  function setup() {
    var store = storage();
    var items = document.querySelectorAll("li.task-list-item[data-qd-task]");
    if (!items.length) return;
    if (!store) {
      document.querySelectorAll(".qd-ticks-note").forEach(function (note) {
        note.textContent = "这个浏览器不允许网页保存数据，勾选在关闭或刷新页面后不会保留。要留存完成情况，请下载 Word 或 Excel 清单填写。";
      });
      return;
    }
    items.forEach(function (item) {
      var box = item.querySelector(":scope > label > input[type=checkbox]");
      if (!box) return;
      var key = PREFIX + item.getAttribute("data-qd-task");
      box.checked = store.getItem(key) === "1";
      box.addEventListener("change", function () {
        try {
          if (box.checked) store.setItem(key, "1"); else store.removeItem(key);
        } catch (e) {}  // storage full: the tick stays on screen until the page is left
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
