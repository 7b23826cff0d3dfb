"""What every page needs to know about the person: who is acting for whom (the banner)."""


def account(request):
    mediator = getattr(request, "mediator", None)
    return {"acting_mediator": mediator, "acting_for": request.user if mediator else None}
