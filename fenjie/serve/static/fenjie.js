// fenjie serve: tabs, filters that apply on change, and uploads with progress. The pages work without it.
"use strict";

function setupTabs() {
  const tabs = Array.from(document.querySelectorAll("[role=tab]"));
  if (!tabs.length) return;
  document.documentElement.classList.add("js");
  function select(tab, focus, remember = true) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) tab.focus();
    // Remembered in the address (for reload and back) only once chosen: at load it would scroll to the panel.
    if (remember) history.replaceState(null, "", "#" + tab.getAttribute("aria-controls"));
  }
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", (e) => { e.preventDefault(); select(tab, false); });
    tab.addEventListener("keydown", (e) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (step) { e.preventDefault(); select(tabs[(i + step + tabs.length) % tabs.length], true); }
    });
  });
  const wanted = new URLSearchParams(location.search).get("tab") || location.hash.slice(1);
  const target = document.getElementById(wanted);
  const panel = target && target.closest("[role=tabpanel]");
  select(tabs.find((t) => panel && t.getAttribute("aria-controls") === panel.id) || tabs[0], false, false);
  if (target && target !== panel) target.scrollIntoView({ block: "center" });
}

function setupFilters() {
  for (const select of document.querySelectorAll(".filters select")) {
    select.addEventListener("change", () => select.form.submit());
  }
}

function setupUpload() {
  const form = document.getElementById("upload");
  if (!form) return;
  const list = document.getElementById("progress");
  const csrf = form.querySelector("[name=csrf]").value;
  const input = form.querySelector("[type=file]");
  const chosen = document.getElementById("chosen");
  input.addEventListener("change", () => {
    const names = Array.from(input.files).map((f) => f.name);
    chosen.textContent = names.length ? `已选 ${names.length} 个文件：${names.join("、")}` : "未选择文件";
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); send(Array.from(input.files)); });
  // Files dropped on the box are uploaded at once.
  form.addEventListener("dragover", (event) => { event.preventDefault(); form.classList.add("dragging"); });
  form.addEventListener("dragleave", () => form.classList.remove("dragging"));
  form.addEventListener("drop", (event) => {
    event.preventDefault();
    form.classList.remove("dragging");
    send(Array.from(event.dataTransfer.files));
  });
  async function send(files) {
    if (!files.length) return;
    list.textContent = "";
    const results = await Promise.all(files.map((file) => upload(file, csrf, line(file.name))));
    if (results.every(Boolean)) location.reload();
    else {
      const again = document.createElement("li");
      again.innerHTML = '<a href="/">刷新列表</a>';
      list.appendChild(again);
    }
  }
  function line(name) {
    const item = document.createElement("li");
    item.textContent = name + "：等待上传";
    list.appendChild(item);
    return item;
  }
}

function upload(file, csrf, item) {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", "/api/v1/notices");
    request.setRequestHeader("X-CSRF-Token", csrf);
    request.setRequestHeader("Accept", "application/json");
    request.upload.onprogress = (e) => {
      if (e.lengthComputable) item.textContent = `${file.name}：上传中 ${Math.round((100 * e.loaded) / e.total)}%`;
    };
    request.upload.onload = () => { item.textContent = `${file.name}：转换中…`; };
    request.onload = () => {
      let body = {};
      try { body = JSON.parse(request.responseText); } catch (e) { body = { code: "internal", message: request.statusText }; }
      if (request.status === 201) {
        item.className = "done";
        item.textContent = `${file.name}：完成，${body.notice.rows.length} 行，${body.notice.units.length} 个单位`;
        resolve(true);
      } else {
        item.className = "failed";
        item.setAttribute("role", "alert");
        item.textContent = `${file.name}：${MESSAGES[body.code] || "转换失败"}（${body.code}）`;
        const detail = document.createElement("span");
        detail.className = "detail";
        detail.textContent = body.message || "";
        item.appendChild(detail);
        resolve(false);
      }
    };
    request.onerror = () => { item.className = "failed"; item.textContent = `${file.name}：连接服务器失败`; resolve(false); };
    const data = new FormData();
    data.append("file", file);
    request.send(data);
  });
}

const MESSAGES = {};  // error code -> Chinese, from the page (serve.toml)

// The row form: move the unit lines under the cursor (or the selection) from 牵头 to 责任 or back.
function setupMoves() {
  for (const button of document.querySelectorAll("button.move")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const from = document.getElementById(button.dataset.from);
      const to = document.getElementById(button.dataset.to);
      const text = from.value;
      const start = text.lastIndexOf("\n", from.selectionStart - 1) + 1;
      let end = text.indexOf("\n", Math.max(from.selectionEnd, start));
      if (end < 0) end = text.length;
      const moved = text.slice(start, end).split("\n").map((l) => l.trim()).filter(Boolean);
      if (!moved.length) return;
      from.value = (text.slice(0, start) + text.slice(end + 1)).replace(/\n+$/, "");
      to.value = [to.value.replace(/\n+$/, ""), ...moved].filter(Boolean).join("\n");
      from.focus();
      from.setSelectionRange(Math.min(start, from.value.length), Math.min(start, from.value.length));
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  Object.assign(MESSAGES, JSON.parse(document.getElementById("error-words")?.textContent || "{}"));
  setupTabs();
  setupFilters();
  setupUpload();
  setupMoves();
});
