from django.conf import settings

from praevnet import access, navigation


def praevnet(request):
    """Navigation, network switcher and footer for base.html; nothing is queried for anonymous visitors."""
    context = {"SITE_NAME": settings.SITE_NAME}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    network = getattr(request, "network", None)
    context["user_networks"] = [{"network": n, "label": access.role_label(user, n)} for n in access.networks_of(user)]
    if network is not None:
        context["current_network"] = network
        context["current_role_label"] = access.role_label(user, network)
        context["nav_items"] = navigation.items_for(request, network)
    return context
