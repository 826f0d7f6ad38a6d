from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.utils.translation import gettext_lazy as _

from anjian.accounts.choices import Role
from anjian.accounts.models import User, mobile_validator
from anjian.core.forms import StyledFormMixin
from anjian.organizations.models import OrgUnit


class LoginForm(StyledFormMixin, AuthenticationForm):
    # Declared with its length so that an overlong name is refused by the form itself, before
    # authenticate() (and django-axes, whose attempt log holds 255 characters) ever sees it.
    username = UsernameField(label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    error_messages = {
        "invalid_login": _("Wrong username or password. After 5 failed attempts the account is locked for 15 minutes."),
        "inactive": _("This account is disabled."),
    }


class PasswordChangeForm(StyledFormMixin, forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("The two new passwords do not match."))
        return data


class OrgUnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        prefix = f"{obj.district.name} · " if obj.district_id else ""
        return f"{prefix}{obj.name}（{obj.get_kind_display()}）"


class UserCreateForm(StyledFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[A-Za-z0-9_.\-]{3,30}$",
        error_messages={"invalid": _("3–30 letters, digits, dots, hyphens or underscores.")},
    )
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    org_unit = OrgUnitChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("Position"), max_length=50, required=False)
    mobile = forms.CharField(label=_("Mobile"), max_length=11, required=False, validators=[mobile_validator])
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units if units is not None else OrgUnit.objects.none()


class UserProfileForm(StyledFormMixin, forms.ModelForm):
    org_unit = OrgUnitChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.none())

    class Meta:
        model = User
        fields = [
            "real_name",
            "org_unit",
            "title",
            "mobile",
            "email",
            "enforcement_certificate",
            "certificate_valid_until",
        ]
        widgets = {"certificate_valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units if units is not None else OrgUnit.objects.none()


class RoleForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("No role")), *list(Role.choices)], required=False)
