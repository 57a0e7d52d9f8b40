"""Input and output serializers, one pair per action, named after the Chorus Pro operation."""
