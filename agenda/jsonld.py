"""schema.org `Event` data for an activity's page, so that search engines and assistants read its dates right."""

import json

from django.utils.safestring import mark_safe


def event_json_ld(request, event, centre, dates):
    """One `Event` per listed date (schema.org has no recurring event that engines read), as a JSON string."""
    place = event.place
    location = {
        "@type": "Place",
        "name": place.name if place else centre.title,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": place.street_address if place else centre.street_address,
            "postalCode": place.postcode if place else centre.postcode,
            "addressLocality": place.town if place else centre.town,
            "addressCountry": "FR",
        },
    }
    url = request.build_absolute_uri(event.url)
    events = []
    for occurrence in dates:
        item = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            "description": event.summary,
            "startDate": occurrence.start.isoformat(),
            "endDate": occurrence.end.isoformat(),
            "eventStatus": "https://schema.org/EventCancelled"
            if occurrence.is_cancelled
            else "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": location,
            "organizer": {
                "@type": "Organization",
                "name": centre.title,
                "url": request.build_absolute_uri(centre.url),
            },
            "isAccessibleForFree": event.is_free,
            "url": url,
        }
        if occurrence.moved:
            item["eventStatus"] = "https://schema.org/EventRescheduled"
        if occurrence.capacity is not None:
            item["maximumAttendeeCapacity"] = occurrence.capacity
            item["remainingAttendeeCapacity"] = occurrence.seats_left
        if not event.is_free:
            item["offers"] = {"@type": "Offer", "price": str(event.price), "priceCurrency": "EUR", "url": url}
        events.append(item)
    if not events:
        return ""
    text = json.dumps(events, ensure_ascii=False)
    # As Django's json_script does: a title holding "</script>" cannot end the block early.
    return mark_safe(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))
