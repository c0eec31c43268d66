CREATE TABLE orders (code VARCHAR(16) PRIMARY KEY, item VARCHAR(64), quantity INT);
INSERT INTO orders VALUES ('A-1', 'camera', 1), ('A-2', 'tripod', 2), ('B-7', 'microphone', 3);
