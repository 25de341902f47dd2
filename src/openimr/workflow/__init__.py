"""openimr.workflow"""
