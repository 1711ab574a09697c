"""One package per folder of features/: the tasks people perform and the checks on what they see."""
