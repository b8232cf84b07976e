// The control panel's live journal: polls the page's JSON endpoint every second and appends
// the new exchanges. Without this script the page still works (its "Actualiser" link).
// A reset of the client starts a new journal (numbers from 1 again, a new "generation"):
// the table is then cleared and the polling starts again from 0.
(function () {
  "use strict";
  var table = document.getElementById("journal");
  if (!table) { return; }
  var body = table.tBodies[0];
  var state = document.getElementById("etat-journal");
  var since = Number(table.dataset.since) || 0;
  var generation = Number(table.dataset.generation) || 0;
  var fields = ["index", "time", "method", "route", "status", "fault", "duration", "agent"];
  var busy = false;
  var restart = false;

  function append(row) {
    var tr = document.createElement("tr");
    fields.forEach(function (name) {
      var td = document.createElement("td");
      var text = document.createTextNode(String(row[name]));
      if (name === "route") {
        var code = document.createElement("code");
        code.appendChild(text);
        td.appendChild(code);
      } else {
        td.appendChild(text);
      }
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }

  function poll() {
    if (busy) { return; }
    busy = true;
    fetch(table.dataset.source + "?since=" + since, { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) {
        if (!answer.ok) { throw new Error(String(answer.status)); }
        return answer.json();
      })
      .then(function (page) {
        var empty = document.getElementById("journal-vide");
        if (page.generation !== generation) {
          // The client was reset: what the table shows belongs to a journal that is gone.
          generation = page.generation;
          since = 0;
          while (body.firstChild) { body.removeChild(body.firstChild); }
          if (empty) { empty.hidden = false; }
          state.textContent = "Client remis à zéro : nouveau journal.";
          restart = true;
          return;
        }
        page.rows.forEach(append);
        if (page.rows.length) {
          since = page.last;
          if (empty) { empty.hidden = true; }
          state.textContent = page.rows.length + " nouvel(s) échange(s)";
        }
      })
      .catch(function () { state.textContent = "Mise à jour interrompue : actualisez la page."; })
      .finally(function () {
        busy = false;
        // Polled again at once from 0: the new journal's first calls show without a second's wait.
        if (restart) { restart = false; poll(); }
      });
  }

  window.setInterval(poll, 1000);
}());
