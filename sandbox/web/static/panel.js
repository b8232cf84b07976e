// The control panel's live journal: polls the page's JSON endpoint every second and appends
// the new exchanges. Without this script the page still works (its "Actualiser" link).
(function () {
  "use strict";
  var table = document.getElementById("journal");
  if (!table) { return; }
  var body = table.tBodies[0];
  var state = document.getElementById("etat-journal");
  var since = Number(table.dataset.since) || 0;
  var fields = ["index", "time", "method", "route", "status", "fault", "duration", "agent"];
  var busy = false;

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
        if (page.restarted) { window.location.reload(); return; }
        page.rows.forEach(append);
        if (page.rows.length) {
          since = page.last;
          var empty = document.getElementById("journal-vide");
          if (empty) { empty.remove(); }
          state.textContent = page.rows.length + " nouvel(s) échange(s)";
        }
      })
      .catch(function () { state.textContent = "Mise à jour interrompue : actualisez la page."; })
      .finally(function () { busy = false; });
  }

  window.setInterval(poll, 1000);
}());
