from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from hiddengems.access import ANONYMOUS, PUBLIC, home_endpoint, roles
from hiddengems.auth import bp, services
from hiddengems.auth.forms import (
    AccountForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    LogoutForm,
    RegistrationForm,
    ResendVerificationForm,
    ResetPasswordForm,
)
from hiddengems.dbsetup import begin_writing
from hiddengems.extensions import db
from hiddengems.orgs.queries import organisation_choices

SIGNED_IN = ("spouse", "adviser", "hr", "admin")


def safe_next(target: str | None) -> str | None:
    """Only a path on this host: no scheme, no host, no protocol-relative //."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@roles(ANONYMOUS)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data, request.remote_addr or "unknown")
        if result.error == "unverified":
            db.session.commit()
            flash(_("Please confirm your e-mail address first: follow the link we sent you."), "warning")
            return redirect(url_for("auth.resend_verification"))
        if result.error:
            db.session.commit()
            if result.error == "throttled":
                form.password.errors.append(
                    _("Too many failed attempts. Please wait 15 minutes or reset your password.")
                )
            else:
                form.password.errors.append(_("The e-mail or password is not right."))
            return render_template("auth/login.html", form=form), 200
        user = result.user
        db.session.commit()
        # A fresh session: nothing from before the login survives (session fixation).
        session.clear()
        session.permanent = True
        login_user(user, remember=bool(form.remember.data) and services.may_be_remembered(user))
        return redirect(safe_next(request.args.get("next")) or url_for(home_endpoint(user)))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@roles(*SIGNED_IN)
def logout():
    if LogoutForm().validate_on_submit():
        services.logout(current_user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You have logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/register", methods=["GET", "POST"])
@roles(ANONYMOUS)
def register():
    form = RegistrationForm()
    form.organisation_id.choices = [(0, _("— choose —"))] + organisation_choices()
    if form.validate_on_submit():
        services.register_spouse(
            services.Registration(
                name=form.name.data,
                email=form.email.data,
                password=form.password.data,
                organisation_id=form.organisation_id.data,
                preferred_language=form.preferred_language.data,
                privacy_accepted=form.privacy.data,
            )
        )
        db.session.commit()
        return redirect(url_for("auth.registered"))
    return render_template("auth/register.html", form=form)


@bp.route("/register/sent")
@roles(ANONYMOUS)
def registered():
    return render_template("auth/registered.html")


@bp.route("/privacy")
@roles(PUBLIC)
def privacy():
    return render_template("auth/privacy.html")


@bp.route("/verify/<token>")
@roles(PUBLIC)
def verify_email(token: str):
    # A GET that reads the account, then writes it: its transaction takes SQLite's write
    # lock up front, like a POST's (hiddengems/dbsetup.py).
    begin_writing(db.session)
    try:
        user = services.load_token(token, "verify")
    except services.TokenError as error:
        return render_template("auth/token_problem.html", reason=error.reason, purpose="verify"), 400
    services.verify_email(user)
    db.session.commit()
    flash(_("Thank you, your e-mail address is confirmed. You can log in now."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/verify/resend", methods=["GET", "POST"])
@roles(ANONYMOUS)
def resend_verification():
    form = ResendVerificationForm()
    if form.validate_on_submit():
        services.resend_verification(form.email.data)
        db.session.commit()
        flash(_("If that address has an account waiting for confirmation, a new link is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/resend_verification.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@roles(PUBLIC)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("auth/reset_sent.html")
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@roles(PUBLIC)
def reset_password(token: str):
    try:
        user = services.load_token(token, "reset")
    except services.TokenError as error:
        return render_template("auth/token_problem.html", reason=error.reason, purpose="reset"), 400
    form = ResetPasswordForm()
    form._email, form._name = user.email, user.name
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash(_("Your password is changed. Please log in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@roles("spouse")
def account():
    """The participant's account: which e-mails they get, and a way to the password."""
    user = current_user._get_current_object()
    form = AccountForm(data={"email_updates": user.email_updates})
    if form.validate_on_submit():
        services.set_email_updates(user, form.email_updates.data)
        db.session.commit()
        flash(_("Your e-mail choices are saved."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@roles(PUBLIC)
def accept_invitation(token: str):
    """A new colleague chooses their first password from the invitation's link."""
    try:
        user = services.load_token(token, "invite")
    except services.TokenError as error:
        return render_template("auth/token_problem.html", reason=error.reason, purpose="invite"), 400
    form = ResetPasswordForm()
    form._email, form._name = user.email, user.name
    if form.validate_on_submit():
        services.accept_invitation(user, form.password.data)
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash(_("Your password is set. Welcome to Hidden Gems: please log in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/accept_invitation.html", form=form, name=user.name)


@bp.route("/account/password", methods=["GET", "POST"])
@roles(*SIGNED_IN)
def change_password():
    form = ChangePasswordForm()
    form._email, form._name = current_user.email, current_user.name
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except services.WrongPassword:
            form.current_password.errors.append(_("This is not your current password."))
        else:
            db.session.commit()
            # Other sessions hold the old token and are out; this one gets the new one.
            session.clear()
            session.permanent = True
            login_user(user)
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for(home_endpoint(user)))
    return render_template("auth/change_password.html", form=form)
