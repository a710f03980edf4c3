-- risk_score('model', m, ...) / risk_explain('model', m, ...): a model from risk_fit, scored
-- as in SQLite. Intercept -1; tenure bins <= 6 (+1), 6-20 (+0.2), > 20 (-0.5), missing
-- (+0.3); contract 'Month-to-month' (+0.9), 'One year' (-0.1), other (-0.4), no missing bin.
SET extra_float_digits = 0;
CREATE TABLE mdl(m text);
INSERT INTO mdl VALUES ('{"model": "portfolio-risk-scorecard", "version": 1, "accounts": 100,
 "outcomes": 30, "outcome_rate": 0.3, "intercept": -1, "factors": [
  {"factor": "tenure", "kind": "numeric", "bins": [
    {"bin": "<= 6", "upper": 6, "accounts": 20, "outcome_rate": 0.6, "points": 1},
    {"bin": "6 < x <= 20", "lower": 6, "upper": 20, "accounts": 30, "outcome_rate": 0.3, "points": 0.2},
    {"bin": "> 20", "lower": 20, "accounts": 40, "outcome_rate": 0.1, "points": -0.5},
    {"bin": "missing", "missing": true, "accounts": 10, "outcome_rate": 0.4, "points": 0.3}]},
  {"factor": "contract", "kind": "categorical", "bins": [
    {"bin": "Month-to-month", "value": "Month-to-month", "accounts": 50, "outcome_rate": 0.5, "points": 0.9},
    {"bin": "One year", "value": "One year", "accounts": 30, "outcome_rate": 0.2, "points": -0.1},
    {"bin": "other", "other": true, "accounts": 20, "outcome_rate": 0.05, "points": -0.4}]}],
 "fit": {"iterations": 5}}');
-- score = 100 / (1 + exp(-log-odds)), the log-odds worked out by hand from the bins
CREATE TABLE cases(id int, tenure text, contract text, z float8);
INSERT INTO cases VALUES
  (1, '6', 'Month-to-month', -1 + 1 + 0.9),    -- an upper edge belongs to its bin
  (2, '6.0000001', 'One year', -1 + 0.2 - 0.1),
  (3, '20', 'month-to-month', -1 + 0.2 - 0.4), -- categories match exactly: other
  (4, '21', 'Two year', -1 - 0.5 - 0.4),
  (5, '-1000', NULL, -1 + 1),                  -- below the range: first bin; no contract bin
  (6, '1e9', NULL, -1 - 0.5),                  -- beyond the range: last bin
  (7, NULL, '', -1 + 0.3);                     -- the missing bin; '' is missing
SELECT id, abs(risk_score('model', m, 'tenure', tenure, 'contract', contract)
               - 100 / (1 + exp(-z))) < 1e-12 AS right_score
  FROM cases, mdl ORDER BY id;
-- typed values: an integer, a numeric, names in any case and order, a jsonb model
SELECT abs(risk_score('model', m, 'CONTRACT', 'One year', 'tenure', 30) - 100 / (1 + exp(1.6))) < 1e-12,
       abs(risk_score('model', m::jsonb, 'tenure', 12.5) - 100 / (1 + exp(0.8))) < 1e-12,
       abs(risk_score('model', m) - 100 / (1 + exp(0.7))) < 1e-12
  FROM mdl;
SELECT risk_explain('model', m, 'contract', 'Month-to-month', 'tenure', NULL) FROM mdl;
SELECT risk_explain('model', m, 'tenure', 3, 'contract', 'Two year') FROM mdl;
-- Errors, in SQLite's words.
SELECT risk_score('model');
SELECT risk_score('model', 12);
SELECT risk_score('model', '{"model": "portfolio-risk-scorecard"}');
SELECT risk_score('model', '{bad');
SELECT risk_score('model', m, 'tenure') FROM mdl;
SELECT risk_score('model', m, 'speed', 1) FROM mdl;
SELECT risk_score('model', m, 'tenure', 1, 'Tenure', 2) FROM mdl;
SELECT risk_score('model', m, 'weights', '{}') FROM mdl;
SELECT risk_explain('model', m, 'model', m) FROM mdl;
SELECT risk_score('model', m, 'tenure', 'long') FROM mdl;
SELECT risk_score('model', m, 7, 1) FROM mdl;
