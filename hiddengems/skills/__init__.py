"""Skills mapping: the ESCO taxonomy of occupations and skills, and the spouse's skills profile."""

from flask import Blueprint

bp = Blueprint("skills", __name__)
