"""haicap: the operations platform of a province and its communes."""
