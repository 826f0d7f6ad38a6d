from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.accounts import services
from anjian.accounts.api.serializers import (
    MeSerializer,
    RoleSerializer,
    UserCreatedSerializer,
    UserCreateSerializer,
    UserSerializer,
)
from anjian.accounts.filtersets import UserFilterSet
from anjian.accounts.models import User
from anjian.organizations.models import OrgUnit


class MeView(APIView):
    """The caller's own account and scope."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Accounts the caller may see; created by the system administrator, roles set by the security administrator."""

    serializer_class = UserSerializer
    filterset_class = UserFilterSet

    def get_queryset(self):
        return User.objects.visible_to(self.request.user).select_related("org_unit").order_by("id")

    @extend_schema(request=UserCreateSerializer, responses={201: UserCreatedSerializer})
    def create(self, request):
        serializer = UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if not request.user.can_manage_accounts:
            raise PermissionDenied(_("Only the system administrator creates accounts."))
        unit_ids = request.user.administered_unit_ids()
        units = OrgUnit.objects.all() if unit_ids is None else OrgUnit.objects.filter(pk__in=unit_ids)
        org_unit = units.filter(pk=data.pop("org_unit")).first()
        if org_unit is None:
            raise ValidationError({"org_unit": [_("Unknown org unit.")]})
        user, password = services.create_user(actor=request.user, org_unit=org_unit, **data)
        user.initial_password = password
        return Response(UserCreatedSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RoleSerializer, responses=UserSerializer)
    @action(detail=True, methods=["put"])
    def role(self, request, pk=None):
        # Outside the accounts whose role the caller assigns, or an id that is no id: 404.
        target = get_object_or_404(User.objects.roles_assignable_by(request.user), pk=pk)
        serializer = RoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.assign_role(actor=request.user, user=target, role=serializer.validated_data["role"])
        return Response(UserSerializer(user).data)
