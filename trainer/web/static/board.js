// The facilitator board: polls the cohort's progress every second. Always: the room's counts and its
// average per skill. Only where the page shows names (the facilitator's view, or the big screen after
// "Show names"): a card per learner.
"use strict";
(function () {
  const { RUBRICS, LABELS, barChart } = window.TrainerCharts;
  const POLL_MS = 1000;
  const board = document.getElementById("board");
  const cohortId = board.dataset.cohort;
  const cardsList = document.getElementById("cards"); // absent on the big screen unless names are shown
  const status = document.getElementById("board-status");
  const cards = new Map();
  // A learner's state: its words on the card. The card's colour comes from data-state in the CSS.
  const STATE_TEXT = {
    needs_attention: "Needs attention: check in with them",
    not_started: "Not started",
    practising: "Practising",
    stuck: "Stuck",
    withdrawn: "Partner withdrew",
    ended: "Ended",
    done: "Done",
  };
  const GROUPS = ["practising", "done", "need_a_hand", "waiting"];
  const BIG = document.body.classList.contains("big");
  // On the big screen without names, a skill's average shows once this many learners have replies:
  // the average of one or two is someone's own score, projected to the room.
  const ROOM_MIN = 3;
  const ANONYMOUS = BIG && board.dataset.names !== "1";
  // The big screen draws the chart narrower, so that its words come out larger on the projector.
  const CHART_WIDTH = BIG ? 400 : 560;

  function plural(n, one, many) {
    return `${n} ${n === 1 ? one : many}`;
  }

  function node(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function makeCard(learner) {
    const card = node("li", "card");
    card.setAttribute("aria-labelledby", `name-${learner.member_id}`);
    const name = node("h3", "name");
    name.id = `name-${learner.member_id}`;
    const state = node("p", "state");
    const facts = node("p", "facts");
    const safetyRow = node("p", "safety-row");
    const safetyLabel = node("label", "", "Safety ");
    const safety = node("meter");
    Object.assign(safety, { min: 0, max: 100, low: 35, high: 65, optimum: 100, id: `safety-${learner.member_id}` });
    safetyLabel.htmlFor = safety.id;
    const safetyText = node("span", "meter-text");
    safetyRow.append(safetyLabel, safety, safetyText);
    const skills = node("dl", "skills");
    const rows = {};
    for (const rubric of RUBRICS) {
      const meter = node("meter");
      Object.assign(meter, { min: 0, max: 3, low: 1.5, high: 2.5, optimum: 3 });
      meter.setAttribute("aria-label", LABELS[rubric]);
      const value = node("span", "value");
      const dd = node("dd");
      dd.append(meter, value);
      skills.append(node("dt", "", LABELS[rubric]), dd);
      rows[rubric] = { meter, value };
    }
    card.append(name, state, facts);
    // On the big screen a card says who is where (the switch's "names and states"), never a person's
    // scores or safety meter, nor a transcript shared with the facilitator: those are for the
    // facilitator's own screen.
    let transcript = null;
    if (!BIG) {
      card.append(safetyRow, skills);
      transcript = node("button", "quiet", "Read transcript");
      transcript.type = "button";
      transcript.addEventListener("click", () => openTranscript(learner.member_id));
      card.append(transcript);
    }
    return { card, name, state, facts, safety, safetyText, rows, transcript };
  }

  function conversationFacts(learner) {
    if (learner.sessions_started === 0) return "No conversation started yet";
    const replies = learner.turns === 0 ? "No replies yet" : plural(learner.turns, "reply", "replies");
    const started = plural(learner.sessions_started, "conversation", "conversations");
    return `${replies} in this conversation · ${started} started, ${learner.sessions_completed} completed`;
  }

  function update(view, learner) {
    view.name.textContent = learner.shown_as;
    view.state.textContent = STATE_TEXT[learner.state] || learner.state;
    view.card.dataset.state = learner.state;
    view.state.className = `state ${learner.state}`;
    view.facts.textContent = conversationFacts(learner);
    view.safety.value = learner.safety === null ? 0 : learner.safety;
    view.safetyText.textContent = learner.safety === null ? "–" : `${learner.safety} of 100`;
    for (const rubric of RUBRICS) {
      const mean = learner.averages[rubric];
      view.rows[rubric].meter.value = mean === undefined ? 0 : mean;
      view.rows[rubric].value.textContent = mean === undefined ? "–" : mean.toFixed(1);
    }
    if (view.transcript) view.transcript.hidden = !learner.shares_transcript;
  }

  function renderCards(progress) {
    const seen = new Set();
    for (const learner of progress.learners) {
      seen.add(learner.member_id);
      let view = cards.get(learner.member_id);
      if (!view) {
        view = makeCard(learner);
        cards.set(learner.member_id, view);
        cardsList.appendChild(view.card);
      }
      update(view, learner);
    }
    for (const [id, view] of cards) {
      if (!seen.has(id)) { view.card.remove(); cards.delete(id); }
    }
    document.getElementById("learner-count").textContent = `(${progress.learners.length})`;
    document.getElementById("no-learners").hidden = progress.learners.length > 0;
  }

  function renderRoom(progress) {
    for (const group of GROUPS) document.getElementById(`count-${group}`).textContent = String(progress.counts[group]);
    const notes = progress.room.map((skill) => {
      if (ANONYMOUS && skill.learners < ROOM_MIN) {
        return { rubric: skill.rubric, mean: null, note: `shown once ${ROOM_MIN} learners have replied` };
      }
      return {
        rubric: skill.rubric,
        mean: skill.mean,
        note: skill.learners ? `${plural(skill.learners, "learner", "learners")} · ${skill.low} under 1.5 · ${skill.high} at 2.5+` : "no replies yet",
      };
    });
    document.getElementById("room-chart").replaceChildren(barChart(notes, "The room's average per skill, 0 to 3", CHART_WIDTH));
  }

  function render(progress) {
    renderRoom(progress);
    if (cardsList) renderCards(progress);
    const joined = progress.counts.joined;
    const who = joined ? `${plural(joined, "learner", "learners")} joined` : "waiting for learners to join";
    status.textContent = `Updated ${new Date().toLocaleTimeString()} · ${who}`;
  }

  async function poll() {
    try {
      const response = await fetch(`/workshop/api/cohorts/${cohortId}/progress`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const data = await response.json().catch(() => ({}));
      if (response.status === 401 || response.status === 404) {
        status.textContent = `${data.detail || "Signed out."} Reload the page to sign in again.`;
        return;
      }
      if (response.ok) render(data);
    } catch (error) {
      status.textContent = "The server could not be reached; retrying…";
    }
    setTimeout(poll, POLL_MS);
  }

  async function openTranscript(memberId) {
    const dialog = document.getElementById("transcript");
    const log = document.getElementById("transcript-log");
    const response = await fetch(`/workshop/api/cohorts/${cohortId}/members/${memberId}/transcript`, { credentials: "same-origin" });
    const data = await response.json().catch(() => ({}));
    log.replaceChildren();
    if (!response.ok) {
      log.appendChild(node("li", "", data.detail || "The transcript is not available."));
    } else {
      document.getElementById("transcript-title").textContent = `Transcript: ${data.display_name}`;
      for (const message of data.messages) {
        const item = node("li", message.role);
        item.append(node("span", "speaker", message.role === "partner" ? "Partner: " : `${data.display_name}: `), node("span", "", message.text));
        log.appendChild(item);
      }
    }
    dialog.showModal();
  }

  poll();
})();
