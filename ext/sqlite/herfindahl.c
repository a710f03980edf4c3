/*
** herfindahl.c: herfindahl(amount) and herfindahl(customer, amount), described for the
** measure engine (measure.h).
**
** The Herfindahl-Hirschman index on the 0-10000 scale: the sum of the customers' squared
** percentage shares, 10000 * sum(x^2) / (sum x)^2. 30/30/20/20 gives 2600; one customer
** gives 10000.
**   1. herfindahl(amount): one row per customer; herfindahl(customer, amount): rows are
**      netted per customer first. Customers with a total <= 0 hold no share.
**   2. It is a function of the sum and the sum of squares of the totals (of_sums), so the
**      engine keeps exact sums (pf_sqsums, any size of REAL or INTEGER): running in the
**      unkeyed form (measure_sums.c), of the customer totals in the keyed form
**      (pf_table_sqsums), and in a keyed window kept up to date row by row, O(1) a row
**      (measure_window.c). Every form is the same bits in every row order.
**   3. Exactly, sum(x^2) <= (sum x)^2 for positive totals: only rounding could pass 10000,
**      and pf_hhi caps it there.
*/
#include "measure.h"

const pf_measure pf_measure_herfindahl = {
    .name = "herfindahl",
    .of_sums = pf_hhi_of_sums,
};
