-- hhi_band: boundaries belong to the middle band (2023: 1000-1800; 2010: 1500-2500).
SELECT h, hhi_band(h) AS band_2023, hhi_band(h, 2010) AS band_2010, hhi_band(h, 2023) AS named
  FROM (VALUES (0), (999.9), (1000), (1800), (1800.1), (1500), (2500), (2500.5), (10000)) v(h);
SELECT hhi_band(NULL) IS NULL AS null_hhi, hhi_band(2000, NULL) IS NULL AS null_edition;
SELECT hhi_band(herfindahl(a)) FROM (VALUES (30), (30), (20), (20)) v(a);
