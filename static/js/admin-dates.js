// Wagtail's date and hour pickers (jQuery's xdsoft datetimepicker) replace, when the field loses focus,
// any text they cannot read in their own format with today's date or the current hour: "8 décembre 2026"
// or "14h30" became today, silently. The server reads dates and hours typed in French
// (home/french_dates.py) and answers anything else with an error next to the field, so what the
// person typed must reach it unchanged. Loaded before the pickers are set up (insert_global_admin_js).
window.jQuery.fn.datetimepicker.defaults.validateOnBlur = false;
