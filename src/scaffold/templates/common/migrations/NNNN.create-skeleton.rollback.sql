DROP TABLE skeleton;
