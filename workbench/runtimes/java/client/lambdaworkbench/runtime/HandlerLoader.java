package lambdaworkbench.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;

/** Finds the function's handler as Lambda's Java runtime does (HandlerInfo, EventHandlerLoader): the handler
 * string split at its last "::"; a class form must implement RequestStreamHandler or RequestHandler; a method
 * form takes the best public overload. Static initialisers and the constructor run here, during init. */
final class HandlerLoader {
    /** One call of the handler: the event's bytes in, the response's bytes written to out. */
    interface Invoker {
        void call(InputStream in, OutputStream out, Context context) throws Throwable;
    }

    private static final byte[] JSON_NULL = "null".getBytes(StandardCharsets.UTF_8);

    private HandlerLoader() {
    }

    /** The invoker, one that fails every call with a non-fatal fault, or a fatal UserFault thrown. */
    static Invoker load(String handler, ClassLoader loader) {
        int split = handler.lastIndexOf("::");
        String className = split < 0 ? handler : handler.substring(0, split);
        String methodName = split < 0 ? null : handler.substring(split + 2);
        if (className.isEmpty() || (methodName != null && methodName.isEmpty())) {
            return failing(UserFault.of("Invalid handler: `" + handler + "'"));
        }
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            return failing(UserFault.classNotFound(e, className));
        } catch (NoClassDefFoundError e) {
            return failing(UserFault.initError(e, className));
        } catch (Throwable t) {
            throw UserFault.initError(t, className);
        }
        Invoker invoker = methodName == null ? classHandler(type) : methodHandler(type, methodName);
        if (invoker instanceof Failing && ((Failing) invoker).fault.fatal) {
            throw ((Failing) invoker).fault;
        }
        return invoker;
    }

    /** Every call fails with this fault (class not found, no such method: init itself succeeds). */
    static final class Failing implements Invoker {
        final UserFault fault;

        Failing(UserFault fault) {
            this.fault = fault;
        }

        @Override
        public void call(InputStream in, OutputStream out, Context context) {
            throw fault;
        }
    }

    private static Invoker failing(UserFault fault) {
        return new Failing(fault);
    }

    // --- The class form --------------------------------------------------------------------------

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Invoker classHandler(Class<?> type) {
        try {
            if (RequestStreamHandler.class.isAssignableFrom(type)) {
                RequestStreamHandler instance = (RequestStreamHandler) construct(type);
                return instance::handleRequest;
            }
            if (RequestHandler.class.isAssignableFrom(type)) {
                Type[] arguments = interfaceArguments(type, RequestHandler.class);
                if (arguments == null) {
                    return failing(UserFault.of("Class " + type.getName()
                            + " does not implement RequestHandler with concrete type parameters"));
                }
                if (arguments.length != 2) {
                    return failing(UserFault.of("Invalid class signature for RequestHandler. Expected two generic "
                            + "types, got " + arguments.length));
                }
                for (Type argument : arguments) {
                    if (argument instanceof TypeVariable && !bounded((TypeVariable<?>) argument)) {
                        return failing(UserFault.of("Class " + type.getName()
                                + " does not implement RequestHandler with concrete type parameters: parameter "
                                + argument + " has no upper bound."));
                    }
                }
                RequestHandler instance = (RequestHandler) construct(type);
                return pojo((input, context) -> instance.handleRequest(input, context), arguments[0],
                        arguments[1]);
            }
        } catch (UserFault fault) {
            return failing(fault);
        } catch (Throwable t) {
            return failing(UserFault.of(t, false));
        }
        return failing(UserFault.of("Class does not implement an appropriate handler interface: " + type.getName()));
    }

    private static boolean bounded(TypeVariable<?> variable) {
        for (Type bound : variable.getBounds()) {
            if (!Object.class.equals(bound)) {
                return true;
            }
        }
        return false;
    }

    /** The actual type arguments of iface, found breadth first through interfaces and superclasses, with
     * type variables resolved along the way. */
    private static Type[] interfaceArguments(Class<?> start, Class<?> iface) {
        LinkedList<Object[]> queue = new LinkedList<>();  // {Class, Map<TypeVariable, Type>}
        queue.add(new Object[] {start, new java.util.HashMap<TypeVariable<?>, Type>()});
        while (!queue.isEmpty()) {
            Object[] item = queue.removeFirst();
            Class<?> current = (Class<?>) item[0];
            @SuppressWarnings("unchecked")
            java.util.Map<TypeVariable<?>, Type> bindings = (java.util.Map<TypeVariable<?>, Type>) item[1];
            // Only interfaces are matched against iface; superclasses are walked through (as Lambda's does).
            List<Type> parents = new ArrayList<>(List.of(current.getGenericInterfaces()));
            int interfaces = parents.size();
            if (current.getGenericSuperclass() != null) {
                parents.add(current.getGenericSuperclass());
            }
            for (int index = 0; index < parents.size(); index++) {
                Type parent = parents.get(index);
                if (parent instanceof ParameterizedType) {
                    ParameterizedType parameterized = (ParameterizedType) parent;
                    Class<?> raw = (Class<?>) parameterized.getRawType();
                    Type[] actual = parameterized.getActualTypeArguments().clone();
                    for (int i = 0; i < actual.length; i++) {
                        if (actual[i] instanceof TypeVariable && bindings.containsKey(actual[i])) {
                            actual[i] = bindings.get(actual[i]);
                        }
                    }
                    if (index < interfaces && iface.isAssignableFrom(raw)) {
                        return actual;
                    }
                    java.util.Map<TypeVariable<?>, Type> next = new java.util.HashMap<>();
                    TypeVariable<?>[] variables = raw.getTypeParameters();
                    for (int i = 0; i < variables.length && i < actual.length; i++) {
                        next.put(variables[i], actual[i]);
                    }
                    queue.add(new Object[] {raw, next});
                } else if (parent instanceof Class) {
                    queue.add(new Object[] {parent, new java.util.HashMap<TypeVariable<?>, Type>()});
                }
            }
        }
        return null;
    }

    private static Object construct(Class<?> type) throws Exception {
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            if (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
                throw new Exception("Class " + type.getName()
                        + " cannot be instantiated because it is a non-static inner class");
            }
            throw new Exception("Class " + type.getName() + " has no public zero-argument constructor", e);
        }
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            // A constructor that throws ends the environment: Lambda reports the cause, unwrapped.
            throw UserFault.of(e.getCause() == null ? e : e.getCause(), true);
        }
    }

    // --- The method form -------------------------------------------------------------------------

    private static Invoker methodHandler(Class<?> type, String name) {
        Method[] all;
        try {
            all = type.getMethods();
        } catch (NoClassDefFoundError e) {
            return failing(new UserFault("Error loading method " + name + " on class " + type.getName(),
                    e.getClass().getName(), UserFault.trace(e), false));
        }
        List<Method> named = new ArrayList<>();
        for (Method method : all) {
            if (method.getName().equals(name)) {
                named.add(method);
            }
        }
        // Non-bridge first, then more parameters first, a trailing Context counting one more (a stable sort:
        // ties keep getMethods() order).
        named.sort((a, b) -> {
            if (a.isBridge() != b.isBridge()) {
                return a.isBridge() ? 1 : -1;
            }
            return Integer.compare(weight(b), weight(a));
        });
        for (Method method : named) {
            Invoker invoker = overload(type, method);
            if (invoker != null) {
                return invoker;
            }
        }
        return failing(UserFault.of("No public method named " + name
                + " with appropriate method signature found on class " + type.getName()));
    }

    private static int weight(Method method) {
        Class<?>[] parameters = method.getParameterTypes();
        boolean context = parameters.length > 0 && parameters[parameters.length - 1] == Context.class;
        return parameters.length + (context ? 1 : 0);
    }

    /** The invoker for one overload, or null (with the line Lambda's runtime prints) when its shape does
     * not fit. */
    private static Invoker overload(Class<?> type, Method method) {
        Type[] p = method.getGenericParameterTypes();
        Type returned = method.getGenericReturnType();
        if (p.length == 0) {
            return pojoMethod(type, method, null, returned, false);
        }
        if (p.length == 1) {
            if (p[0] == InputStream.class) {
                return streamMethod(type, method, true, false, false);
            }
            if (p[0] == OutputStream.class) {
                return streamMethod(type, method, false, true, false);
            }
            if (p[0] == Context.class) {
                return pojoMethod(type, method, null, returned, true);
            }
            return pojoMethod(type, method, p[0], returned, false);
        }
        if (p.length == 2) {
            if (p[0] == OutputStream.class) {
                if (p[1] == Context.class) {
                    return streamMethod(type, method, false, true, true);
                }
                System.err.println("Ignoring two-argument overload because first argument type is OutputStream "
                        + "and second argument type is not Context");
                return null;
            }
            if (p[0] == Context.class) {
                System.err.println("Ignoring two-argument overload because first argument type is Context");
                return null;
            }
            if (p[0] == InputStream.class) {
                if (p[1] == OutputStream.class) {
                    return streamMethod(type, method, true, true, false);
                }
                if (p[1] == Context.class) {
                    return streamMethod(type, method, true, false, true);
                }
                System.err.println("Ignoring two-argument overload because second parameter type, "
                        + raw(p[1]).getName() + ", is not OutputStream.");
                return null;
            }
            if (p[1] == Context.class) {
                return pojoMethod(type, method, p[0], returned, true);
            }
            System.err.println("Ignoring two-argument overload because second parameter type is not Context");
            return null;
        }
        if (p.length == 3) {
            if (p[0] == InputStream.class && p[1] == OutputStream.class && p[2] == Context.class) {
                return streamMethod(type, method, true, true, true);
            }
            System.err.println("Ignoring three-argument overload because argument signature is not "
                    + "(InputStream, OutputStream, Context");
            return null;
        }
        System.err.println("Ignoring an overload of method " + method.getName()
                + " because it has too many parameters: Expected at most 3, got " + p.length);
        return null;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class) {
            return (Class<?>) type;
        }
        if (type instanceof ParameterizedType) {
            return (Class<?>) ((ParameterizedType) type).getRawType();
        }
        return Object.class;
    }

    private static Object instanceFor(Class<?> type, Method method) throws Exception {
        return Modifier.isStatic(method.getModifiers()) ? null : construct(type);
    }

    private static Invoker pojoMethod(Class<?> type, Method method, Type input, Type returned, boolean context) {
        try {
            Object instance = instanceFor(type, method);
            int count = (input != null ? 1 : 0) + (context ? 1 : 0);
            return pojo((event, ctx) -> {
                Object[] arguments = new Object[count];
                int i = 0;
                if (input != null) {
                    arguments[i++] = event;
                }
                if (context) {
                    arguments[i] = ctx;
                }
                return invoke(method, instance, arguments);
            }, input, returned);
        } catch (UserFault fault) {
            return failing(fault);
        } catch (Throwable t) {
            return failing(UserFault.of(t, false));
        }
    }

    private static Invoker streamMethod(Class<?> type, Method method, boolean input, boolean output,
                                        boolean context) {
        try {
            if (!isVoid(method.getReturnType())) {
                System.err.println("Will ignore return type " + method.getReturnType() + " on byte stream handler");
            }
            Object instance = instanceFor(type, method);
            int count = (input ? 1 : 0) + (output ? 1 : 0) + (context ? 1 : 0);
            return (in, out, ctx) -> {
                Object[] arguments = new Object[count];
                int i = 0;
                if (input) {
                    arguments[i++] = in;
                } else {
                    in.close();
                }
                if (output) {
                    arguments[i++] = out;
                }
                if (context) {
                    arguments[i] = ctx;
                }
                invoke(method, instance, arguments);
                if (!output) {
                    out.write(JSON_NULL);
                }
            };
        } catch (UserFault fault) {
            return failing(fault);
        } catch (Throwable t) {
            return failing(UserFault.of(t, false));
        }
    }

    private static Object invoke(Method method, Object instance, Object[] arguments) throws Throwable {
        try {
            return method.invoke(instance, arguments);
        } catch (InvocationTargetException e) {
            throw UserFault.filter(e.getCause() != null ? e.getCause() : e);
        }
    }

    private static boolean isVoid(Type type) {
        return type == void.class || (type instanceof Class && Void.class.isAssignableFrom((Class<?>) type));
    }

    interface PojoCall {
        Object call(Object input, Context context) throws Throwable;
    }

    /** A POJO handler as a stream handler: the event bound to the input type (Lambda's words when it does
     * not bind), the result written as JSON, `null` for void. */
    private static Invoker pojo(PojoCall handler, Type input, Type output) {
        Type out = output == null || isVoid(output) ? null : output;
        if (input != null) {
            Json.prepare(input);
        }
        if (out != null) {
            Json.prepare(out);
        }
        return (in, stream, context) -> {
            Object event = null;
            if (input != null) {
                try {
                    event = Json.read(in.readAllBytes(), input);
                } catch (Throwable t) {
                    throw new RuntimeException("An error occurred during JSON parsing", UserFault.filter(t));
                }
            }
            Object result = handler.call(event, context);
            byte[] bytes;
            try {
                bytes = out == null ? JSON_NULL : Json.write(result, out);
            } catch (Throwable t) {
                throw new RuntimeException("An error occurred during JSON serialization of response", t);
            }
            stream.write(bytes);
        };
    }
}
