from django.conf import settings

from praevnet import access, navigation


def praevnet(request):
    """Navigation, network switcher and footer for base.html; nothing is queried for anonymous visitors.

    Worked out once per request and network: a table rendered inside the page (tables2's ``render_table``) gets a
    context of its own and would otherwise run this again.
    """
    network = getattr(request, "network", None)
    cached = getattr(request, "_praevnet_context", None)
    if cached is not None and cached[0] is network:
        return cached[1]
    context = {"SITE_NAME": settings.SITE_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["user_networks"] = [
            {"network": n, "label": access.role_label(user, n)} for n in access.networks_of(user)
        ]
        if network is not None:
            context["current_network"] = network
            context["current_role_label"] = access.role_label(user, network)
            context["nav_items"] = navigation.items_for(request, network)
    request._praevnet_context = (network, context)
    return context
