"""openimr.web"""
