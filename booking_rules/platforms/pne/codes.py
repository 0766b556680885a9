"""PNE's names for the rules it runs: one table, from neutral rule to code.

PatientNow Essentials publishes no error codes (pne_api.md: "Error body shape and codes"
are unknown), so every code here is the engine's own, named in PNE's words (employee,
customer, location): ``TABLE.api`` is empty and a report never predicts a PNE answer.
The booking rules are the ones Phorest runs where the meaning is the same (qualified,
scheduled, free, the customer not already booked, ids known); the rest are PNE's
appointment body and its orders.
"""

from __future__ import annotations

from ...core.codes import CodeTable
from ...rules import REGISTRY

# (rule, code), in documentation order.
_TABLE = (
    # The appointment body (POST /appointments)
    ("client_shape_in_booking", "CUSTOMER_SHAPE_IN_APPOINTMENT"),
    ("start_time_invalid", "START_DATE_INVALID"),
    ("start_time_format", "START_DATE_FORMAT"),
    ("block_minutes_invalid", "INVALID_MINUTES"),
    ("block_minutes_differ", "MINUTES_DIFFER_FROM_SERVICE"),
    ("branch_mismatch", "COMPANY_MISMATCH"),
    ("write_outside_subset", "VISH_READ_ONLY"),
    # The booking rules shared with Phorest
    ("unknown_id", "UNKNOWN_ID"),
    ("unknown_client", "UNKNOWN_CUSTOMER"),
    ("archived_service", "INACTIVE_SERVICE"),
    ("archived_staff", "INACTIVE_EMPLOYEE"),
    ("staff_unqualified", "EMPLOYEE_UNQUALIFIED"),
    ("staff_not_working", "EMPLOYEE_NOT_SCHEDULED"),
    ("staff_double_booked", "EMPLOYEE_DOUBLE_BOOKED"),
    ("client_already_booked", "CUSTOMER_ALREADY_BOOKED"),
    ("start_in_past", "START_IN_PAST"),
    ("nonexistent_local_time", "NONEXISTENT_LOCAL_TIME"),
    ("ambiguous_local_time", "AMBIGUOUS_LOCAL_TIME"),
    ("unknown_field", "UNKNOWN_FIELD"),
    ("duplicate_id", "DUPLICATE_ID"),
    # Orders (POST /orders)
    ("order_number_invalid", "INVALID_NUMBER"),
    ("order_negative_quantity", "NEGATIVE_QUANTITY"),
    ("order_unknown_item_kind", "UNKNOWN_INV_TYPE"),
    ("order_unknown_payment_method", "UNKNOWN_PAYMENT_TYPE"),
    ("order_line_total_mismatch", "EXTENDED_PRICE_MISMATCH"),
    ("order_subtotal_mismatch", "SUBTOTAL_MISMATCH"),
    ("order_total_below_subtotal", "TOTAL_BELOW_SUBTOTAL"),
    ("order_payments_short", "PAYMENTS_BELOW_TOTAL"),
    ("order_price_differs", "PRICE_DIFFERS_FROM_CATALOGUE"),
    ("order_unknown_id", "UNKNOWN_ORDER_ID"),
    ("order_unknown_client", "UNKNOWN_ORDER_CUSTOMER"),
)

TABLE = CodeTable(
    platform="pne", display="PatientNow Essentials",
    rules={name: REGISTRY[name] for name, _ in _TABLE},
    codes=dict(_TABLE),
    api=frozenset(),  # PNE publishes no codes: none of these is an answer of its API
    redirects={},
)
