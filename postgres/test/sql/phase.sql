-- phase_of: the first rule that holds wins (defense, deployment, growth, maturation).
SELECT phase_of('deployment', 0.5) AS rollout,                       -- deployment
       phase_of('deployment', 1, 'adoption', 0.2) AS low_adoption,    -- defense (< 0.3)
       phase_of('deployment', 0.5, 'adoption', 0.2) AS still_rolling, -- deployment
       phase_of('RISK', 70) AS risky,                                 -- defense (>= 70)
       phase_of('risk', 69.9, 'expansion', 2) AS growing,             -- growth
       phase_of('risk', 20) AS steady,                                -- maturation
       phase_of('technical_issues', true, 'expansion', 5) AS flagged; -- defense
SELECT phase_of('risk', 60, 'thresholds', '{"risk": 50}') AS lower_risk_threshold,
       phase_of('adoption', 0.4, 'thresholds', '{"adoption": 0.5}'::jsonb) AS higher_adoption,
       phase_of('risk', 60, 'thresholds', NULL) AS default_thresholds;
SELECT phase_of('risk', NULL) IS NULL AS unknown, phase_of('risk', '') IS NULL AS blank,
       phase_of('risk', '75') AS text_value;
SELECT phase, ordinal FROM phases ORDER BY ordinal;
-- Errors.
SELECT phase_of('risk');
SELECT phase_of('mood', 1);
SELECT phase_of('risk', 10, 'Risk', 20);
SELECT phase_of('risk', 101);
SELECT phase_of('expected_churn', 0.5);
SELECT phase_of('risk', 'high');
SELECT phase_of('risk', 1, 'thresholds', '{"mood": 1}');
SELECT phase_of('risk', 1, 'thresholds', '{"risk": 200}');
SELECT phase_of('risk', 1, 'thresholds', '[1]');
SELECT phase_of(VARIADIC ARRAY['risk', '1']);
-- The same words as SQLite for what the core's JSON reader refuses, and for names.
SELECT phase_of('risk', 1, 'thresholds', '{bad');
SELECT phase_of('risk', 1, 'thresholds', '{"risk": "x"}');
SELECT phase_of('risk', 1, 'thresholds', '{"risk": null}'::jsonb);
SELECT phase_of('risk', 1, 'thresholds', 12);
SELECT phase_of('risk', 1, 'thresholds', '{}', 'thresholds', '{}');
SELECT phase_of(1, 1);
SELECT phase_of('risk', 100.5);
-- '' keeps the default thresholds, as NULL does
SELECT phase_of('risk', 60, 'thresholds', '') AS blank_thresholds;
