.mode list
.nullvalue NULL
-- First rule that holds wins: defense (a flag, risk >= 70, or adoption < 0.3 once rolled
-- out or when the rollout is unknown), then deployment (rollout below 1), then growth
-- (expansion > 0), else maturation; no signal known gives NULL.
CREATE TABLE acct(id, deployment, adoption, risk, churn, expansion);
INSERT INTO acct VALUES
  ('flag beats all', 0.5, 0.9, 10, 1, 5000),
  ('risk at 70', 1, 0.9, 70, 0, 5000),
  ('risk 69', 1, 0.9, 69, 0, 0),
  ('low adoption, rolled out', 1, 0.2, 10, 0, 5000),
  ('low adoption, rolling out', 0.6, 0.2, 10, 0, 5000),
  ('low adoption, rollout unknown', NULL, 0.2, NULL, NULL, NULL),
  ('rolling out', 0.6, 0.9, 10, 0, 5000),
  ('expansion open', 1, 0.9, 10, 0, 5000),
  ('steady', 1, 0.9, 10, 0, 0),
  ('nothing known', NULL, NULL, NULL, NULL, NULL);
SELECT id, phase_of('deployment', deployment, 'adoption', adoption, 'risk', risk,
  'expected_churn', churn, 'expansion', expansion) FROM acct;
-- stricter thresholds: risk from 60, adoption below 0.95 counts as low
SELECT id, phase_of('deployment', deployment, 'adoption', adoption, 'risk', risk,
  'expected_churn', churn, 'expansion', expansion, 'thresholds', '{"risk": 60, "adoption": 0.95}')
  FROM acct WHERE id IN ('risk 69', 'steady', 'expansion open', 'rolling out');
-- each phase's objective, for reports
SELECT phase, ordinal FROM phases ORDER BY ordinal;
SELECT objective FROM phases WHERE phase = phase_of('risk', 85, 'expansion', 1);
-- a risk_score feeds the risk signal: adoption .1 alone scores 90, so defense
SELECT phase_of('risk', risk_score('adoption', 0.1), 'deployment', 1, 'adoption', 0.1);
-- errors name the signal and the value
SELECT phase_of('expected_churn', 2);
SELECT phase_of('risk', 120);
SELECT phase_of('mood', 1);
SELECT phase_of('risk', 50, 'thresholds', '{"churn": 1}');
SELECT phase_of('risk', 50, 'adoption');
