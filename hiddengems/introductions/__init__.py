from flask import Blueprint

bp = Blueprint("introductions", __name__, url_prefix="/introductions")
