// Surepost's console: reads and changes through the admin API (./api), with the login the
// browser already holds for this page (HTTP Basic). Plain script, no libraries.
"use strict";

// The API's address from the page's origin and path, never from the whole address: a page
// opened as http://user:password@host/surepost/ would hand its credentials to every relative
// URL, and fetch() refuses a URL that holds credentials
const api = location.origin + location.pathname.replace(/[^/]*$/, "") + "api";
let deadLetterPage = 1;
const samples = []; // {t, accepted, delivered}: the counters, read every 2 s

function el(tag, text, attributes) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, v));
    return node;
}

function problem(text) {
    document.getElementById("problem").textContent = text || "";
}

async function call(method, path, body) {
    const response = await fetch(api + path, {
        method, credentials: "same-origin",
        headers: body ? {"Content-Type": "application/json"} : {},
        body: body ? JSON.stringify(body) : undefined
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
        throw new Error((json && json.message) || ("HTTP " + response.status));
    }
    return json;
}

function age(ms) {
    if (ms === undefined || ms === null) return "";
    if (ms < 1000) return ms + " ms";
    if (ms < 120000) return Math.round(ms / 1000) + " s";
    return Math.round(ms / 60000) + " min";
}

async function refreshStores() {
    const stores = await call("GET", "/stores");
    const body = document.querySelector("#stores tbody");
    body.replaceChildren(...stores.map(s => {
        const row = el("tr", null, {"data-store": s.name});
        row.append(el("td", s.name), el("td", s.kind),
            el("td", s.problem ? s.problem : s.depth, {"class": "number depth"}),
            el("td", age(s.oldestAgeMillis), {"class": "number"}), el("td", s.bytes, {"class": "number"}));
        return row;
    }));
}

async function refreshProcessors() {
    const processors = await call("GET", "/processors");
    const body = document.querySelector("#processors tbody");
    body.replaceChildren(...processors.map(p => {
        const row = el("tr", null, {"data-processor": p.name});
        const active = p.shared ? p.shared.active : true;
        const button = el("button", active ? "Deactivate" : "Activate", {"class": active ? "deactivate" : "activate"});
        button.onclick = async () => {
            try {
                await call("POST", "/processors/" + encodeURIComponent(p.name) + (active ? "/deactivate" : "/activate"));
                problem("");
            } catch (e) {
                problem(e.message);
            }
            refreshProcessors().catch(e => problem(e.message));
        };
        const cell = el("td");
        cell.append(button);
        row.append(el("td", p.name), el("td", p.state, {"class": "state"}), el("td", p.inFlight),
            el("td", p.shared ? (p.shared.active ? "active" : "inactive: " + p.shared.reason) : "unknown", {"class": "shared"}), cell);
        return row;
    }));
}

function deadLetterQuery() {
    const query = new URLSearchParams({page: deadLetterPage, size: 10});
    ["reason", "status", "since"].forEach(name => {
        const value = document.getElementById("filter-" + name).value.trim();
        if (value) query.set(name, value);
    });
    return query;
}

async function refreshDeadLetters() {
    const page = await call("GET", "/dead-letters?" + deadLetterQuery());
    const pages = Math.max(1, Math.ceil(page.total / page.size));
    document.getElementById("page").textContent = "page " + page.page + " of " + pages + " (" + page.total + ")";
    document.getElementById("previous-page").disabled = page.page <= 1;
    document.getElementById("next-page").disabled = page.page >= pages;
    const body = document.querySelector("#dead-letters tbody");
    body.replaceChildren(...page.items.map(d => {
        const row = el("tr", null, {"data-id": d.id, "data-message-id": d.messageId});
        const actions = el("td");
        const view = el("button", "View", {"class": "view"});
        view.onclick = async () => {
            const detail = await call("GET", "/dead-letters/" + d.id);
            document.getElementById("dead-letter").textContent = JSON.stringify(detail, null, 2);
        };
        const retry = el("button", "Retry", {"class": "retry"});
        retry.onclick = () => change("retry dead letter " + d.id, "POST", "/dead-letters/" + d.id + "/retry");
        const remove = el("button", "Delete", {"class": "delete"});
        remove.onclick = () => change("delete dead letter " + d.id + " for good", "DELETE", "/dead-letters/" + d.id);
        actions.append(view, retry, remove);
        row.append(el("td", d.id), el("td", d.messageId), el("td", d.deadLetteredAt), el("td", d.attempts, {"class": "number"}),
            el("td", d.lastStatus, {"class": "number"}), el("td", d.reason), actions);
        return row;
    }));
}

async function change(what, method, path) {
    if (!window.confirm("Really " + what + "?")) return;
    try {
        await call(method, path);
        problem("");
    } catch (e) {
        problem(e.message);
    }
    refreshDeadLetters().catch(e => problem(e.message));
}

async function showJourney(id) {
    const list = document.getElementById("journey");
    const end = document.getElementById("journey-end");
    list.replaceChildren();
    end.textContent = "";
    try {
        const journey = await call("GET", "/messages/" + encodeURIComponent(id));
        end.textContent = journey.end.state + ": " + journey.end.detail;
        end.setAttribute("data-state", journey.end.state);
        list.replaceChildren(...journey.steps.map(s => el("li", s.at + " on " + s.node + ": " + s.event
            + (s.status ? " (HTTP " + s.status + ")" : "") + (s.durationMillis !== undefined ? " in " + s.durationMillis + " ms" : "")
            + (s.detail ? " - " + s.detail : ""), {"class": "step"})));
    } catch (e) {
        end.textContent = e.message;
        end.setAttribute("data-state", "none");
    }
}

async function sampleCounters() {
    const c = await call("GET", "/counters");
    samples.push({t: Date.parse(c.at), accepted: c.accepted, delivered: c.delivered});
    while (samples.length > 151) samples.shift(); // five minutes at one sample every 2 s
    drawChart();
}

function rates(key) {
    const out = [];
    for (let i = 1; i < samples.length; i++) {
        const seconds = Math.max(0.001, (samples[i].t - samples[i - 1].t) / 1000);
        out.push(Math.max(0, (samples[i][key] - samples[i - 1][key]) / seconds));
    }
    return out;
}

function drawChart() {
    const svg = document.getElementById("chart");
    const accepted = rates("accepted"), delivered = rates("delivered");
    const top = Math.max(1, ...accepted, ...delivered);
    const line = (values, cls) => {
        const points = values.map((v, i) => (i * 600 / 150).toFixed(1) + "," + (118 - v * 110 / top).toFixed(1)).join(" ");
        const p = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
        p.setAttribute("points", points);
        p.setAttribute("stroke", cls === "accepted" ? "#1f77b4" : "#2ca02c");
        p.setAttribute("class", cls);
        return p;
    };
    svg.replaceChildren(line(accepted, "accepted"), line(delivered, "delivered"));
    const last = values => values.length ? values[values.length - 1].toFixed(1) : "0";
    document.getElementById("rates").textContent = "now: " + last(accepted) + " accepted/s, " + last(delivered)
        + " delivered/s (peak " + top.toFixed(1) + "/s)";
}

function every(millis, task) {
    const run = () => task().then(() => problem(""), e => problem(e.message));
    run();
    setInterval(run, millis);
}

document.getElementById("dead-letter-filter").onsubmit = event => {
    event.preventDefault();
    deadLetterPage = 1;
    refreshDeadLetters().catch(e => problem(e.message));
};
document.getElementById("previous-page").onclick = () => { deadLetterPage--; refreshDeadLetters().catch(e => problem(e.message)); };
document.getElementById("next-page").onclick = () => { deadLetterPage++; refreshDeadLetters().catch(e => problem(e.message)); };
document.getElementById("journey-search").onsubmit = event => {
    event.preventDefault();
    showJourney(document.getElementById("journey-id").value.trim());
};

every(2000, refreshStores);
every(2000, refreshProcessors);
every(3000, refreshDeadLetters);
every(2000, sampleCounters);
