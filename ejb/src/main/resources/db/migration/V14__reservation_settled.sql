-- Nothing holds a budget's counter row (the row every call of a user, a group or a key locks)
-- beyond one statement: the reservation commits by itself, and a settled reservation keeps what it
-- used until the next reservation in the same budget (or the sweep) folds it into the counters.
alter table reservation add column used_tokens bigint check (used_tokens >= 0);
comment on column reservation.used_tokens is
    'what the call used, once settled; its holds are then folded into budget_use and it is deleted';

-- REFUSED: what a call took in the budgets that had room while another had none, settled to
-- nothing at once; folding it in gives its tokens and its request back
alter table reservation drop constraint reservation_state_check;
alter table reservation add constraint reservation_state_check
    check (state in ('HELD', 'RELEASED', 'REFUSED'));

-- the holds of a budget's period, as the reservation statement folds them
drop index reservation_hold_budget;
create index reservation_hold_period on reservation_hold (budget_id, period_start);

-- only unsettled reservations expire
drop index reservation_expiry;
create index reservation_expiry on reservation (expires_at)
    where state = 'HELD' and used_tokens is null;

-- the last reservation that took tokens and a request in the period's counters: the reservation
-- statement tells from it which budgets it took in (folding in applies to every budget, taking only
-- to those with room)
alter table budget_use add column taken_by bigint;
