// Risk calculator for the combined model, identical in arithmetic to `radsurv predict`:
//   lp = sum_i coef_i * (x_i - centre_i);  S(t) = exp(-H0(t) * exp(lp));
//   risk group = "High" when lp > risk_cutoff (training median), else "Low";
//   points = sum_i (points_offset_i + points_slope_i * x_i)  (nomogram points).
(function () {
  "use strict";
  var model = JSON.parse(document.getElementById("model-json").textContent);

  // Radscore from raw features: sum_j coef_j * (f_j - mean_j) / sd_j.
  function radscoreFromFeatures(values) {
    var rs = model.radscore, total = 0;
    for (var j = 0; j < rs.terms.length; j++) {
      var t = rs.terms[j], v = values[t.feature];
      if (typeof v !== "number" || !isFinite(v)) { return null; }
      total += t.coef * (v - t.mean) / t.sd;
    }
    return total;
  }

  // inputs: {predictor name: value}; returns the numbers `radsurv predict` prints.
  function calculate(inputs) {
    var lp = 0, points = 0;
    for (var i = 0; i < model.predictors.length; i++) {
      var p = model.predictors[i], x = inputs[p.name];
      if (typeof x !== "number" || !isFinite(x)) { return null; }
      lp += p.coef * (x - p.centre);
      points += p.points_offset + p.points_slope * x;
    }
    var surv = model.horizons.map(function (h) {
      return { label: h.label, time: h.time, surv: Math.exp(-h.cumhaz * Math.exp(lp)) };
    });
    return { lp: lp, points: points, risk_group: lp > model.risk_cutoff ? "High" : "Low", surv: surv };
  }
  window.radsurvCalculate = calculate;

  function field(p) {
    var label = document.createElement("label");
    label.textContent = p.label;
    var input;
    if (p.levels.length > 0) {
      input = document.createElement("select");
      p.levels.forEach(function (lv) {
        var o = document.createElement("option");
        o.value = String(lv.value); o.textContent = lv.label;
        if (lv.value === p.default) { o.selected = true; }
        input.appendChild(o);
      });
    } else {
      input = document.createElement("input");
      input.type = "number"; input.step = "any"; input.value = String(p.default);
    }
    input.id = "calc-in-" + p.name; input.name = p.name;
    label.appendChild(input);
    return label;
  }

  function readInputs() {
    var inputs = {};
    model.predictors.forEach(function (p) {
      inputs[p.name] = parseFloat(document.getElementById("calc-in-" + p.name).value);
    });
    return inputs;
  }

  function show(result) {
    var fmt = function (v, d) { return v === null ? "–" : v.toFixed(d); };
    document.getElementById("calc-points").textContent = result ? fmt(result.points, 1) : "–";
    document.getElementById("calc-lp").textContent = result ? fmt(result.lp, 4) : "–";
    document.getElementById("calc-group").textContent = result ? result.risk_group + " risk" : "–";
    var body = document.querySelector("#calc-surv tbody");
    body.innerHTML = "";
    (result ? result.surv : []).forEach(function (s) {
      var tr = document.createElement("tr");
      tr.innerHTML = "<td></td><td></td>";
      tr.children[0].textContent = s.label;
      tr.children[1].textContent = (100 * s.surv).toFixed(1) + " %";
      body.appendChild(tr);
    });
  }

  function update() { show(calculate(readInputs())); }

  function onFeatureInput() {
    var values = {};
    model.radscore.terms.forEach(function (t) {
      values[t.feature] = parseFloat(document.getElementById("calc-f-" + t.feature).value);
    });
    var rs = radscoreFromFeatures(values);
    if (rs !== null) {
      document.getElementById("calc-in-" + model.radscore.predictor).value = rs.toFixed(6);
      update();
    }
  }

  var fieldset = document.getElementById("calc-inputs");
  model.predictors.forEach(function (p) { fieldset.appendChild(field(p)); });
  fieldset.addEventListener("input", update);
  fieldset.addEventListener("change", update);
  if (model.radscore) {
    var box = document.getElementById("calc-features");
    model.radscore.terms.forEach(function (t) {
      var label = document.createElement("label");
      label.textContent = t.feature;
      var input = document.createElement("input");
      input.type = "number"; input.step = "any"; input.id = "calc-f-" + t.feature;
      label.appendChild(input);
      box.appendChild(label);
    });
    box.addEventListener("input", onFeatureInput);
    document.getElementById("calc-radscore").hidden = false;
  }
  update();

  // Browser test hook: report.html#selftest=<url-encoded JSON list of {inputs, features}> writes
  // the calculator's results as JSON into #calc-selftest (read with chromium --dump-dom). When a
  // case has `features`, its rad-score is computed from them first, as the form does.
  function selftestCase(c) {
    var inputs = Object.assign({}, c.inputs);
    if (c.features && model.radscore) {
      inputs[model.radscore.predictor] = radscoreFromFeatures(c.features);
    }
    var result = calculate(inputs);
    if (result && model.radscore) { result.rad_score = inputs[model.radscore.predictor]; }
    return result;
  }
  var m = /#selftest=(.*)$/.exec(window.location.hash);
  if (m) {
    var out = document.getElementById("calc-selftest");
    out.textContent = JSON.stringify(JSON.parse(decodeURIComponent(m[1])).map(selftestCase));
    out.hidden = false;
  }
})();
