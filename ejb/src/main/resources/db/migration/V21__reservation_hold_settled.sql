-- A hold is marked settled with its reservation (in the same statement), so that the reservation
-- statement finds the settled holds it folds in by an index of those alone: it used to look at
-- every hold of the budget's period — one per call under way — and at each one's reservation.
alter table reservation_hold add column settled boolean not null default false;
update reservation_hold h set settled = true
from reservation r where r.id = h.reservation_id and r.used_tokens is not null;
create index reservation_hold_settled on reservation_hold (budget_id, period_start) where settled;
