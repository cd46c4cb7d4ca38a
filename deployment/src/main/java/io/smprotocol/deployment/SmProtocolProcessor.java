package io.smprotocol.deployment;

import static io.smprotocol.deployment.SmProtocolDotNames.CODEC;
import static io.smprotocol.deployment.SmProtocolDotNames.HOOK_ANNOTATIONS;
import static io.smprotocol.deployment.SmProtocolDotNames.LINE_CODEC;
import static io.smprotocol.deployment.SmProtocolDotNames.ON_CLOSE;
import static io.smprotocol.deployment.SmProtocolDotNames.ON_COMMAND;
import static io.smprotocol.deployment.SmProtocolDotNames.ON_CONNECT;
import static io.smprotocol.deployment.SmProtocolDotNames.ON_ERROR;
import static io.smprotocol.deployment.SmProtocolDotNames.ON_LINE;
import static io.smprotocol.deployment.SmProtocolDotNames.ON_REPLY;
import static io.smprotocol.deployment.SmProtocolDotNames.ON_SEQUENCE;
import static io.smprotocol.deployment.SmProtocolDotNames.PROTOCOL;
import static io.smprotocol.deployment.SmProtocolDotNames.UNI;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.AutoAddScopeBuildItem;
import io.quarkus.arc.deployment.BeanArchiveIndexBuildItem;
import io.quarkus.arc.deployment.BeanContainerBuildItem;
import io.quarkus.arc.deployment.BeanDiscoveryFinishedBuildItem;
import io.quarkus.arc.deployment.InvokerFactoryBuildItem;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.arc.deployment.ValidationPhaseBuildItem.ValidationErrorBuildItem;
import io.quarkus.arc.processor.BeanInfo;
import io.quarkus.arc.processor.BuiltinScope;
import io.quarkus.arc.processor.InvokerBuilder;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.Consume;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Produce;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.ServiceStartBuildItem;
import io.quarkus.deployment.builditem.ShutdownContextBuildItem;
import io.quarkus.deployment.execannotations.ExecutionModelAnnotationsAllowedBuildItem;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.deployment.recording.RecorderContext;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.metrics.MetricsFactory;
import io.quarkus.vertx.core.deployment.CoreVertxBuildItem;
import io.smprotocol.Codec;
import io.smprotocol.codec.LineCodec;
import io.smprotocol.codec.MemcachedCodec;
import io.smprotocol.codec.RespCodec;
import io.smprotocol.codec.SmtpCodec;
import io.smprotocol.runtime.SmProtocolRecorder;
import io.smprotocol.runtime.hook.ArgumentKind;
import io.smprotocol.runtime.hook.ExecutionModel;
import io.smprotocol.runtime.hook.HookKind;
import io.smprotocol.runtime.hook.HookMethod;
import io.smprotocol.runtime.hook.ProtocolDefinition;
import io.smprotocol.runtime.server.ProtocolManager;

/**
 * Finds {@code @Protocol} classes and their hooks in the index, validates them, generates an invoker per hook and
 * starts the protocols at run time.
 */
class SmProtocolProcessor {

    private static final String FEATURE = "smprotocol";

    private static final Map<DotName, HookKind> HOOK_KINDS = Map.of(
            ON_CONNECT, HookKind.CONNECT,
            ON_LINE, HookKind.LINE,
            ON_COMMAND, HookKind.COMMAND,
            ON_SEQUENCE, HookKind.SEQUENCE,
            ON_CLOSE, HookKind.CLOSE,
            ON_ERROR, HookKind.ERROR,
            ON_REPLY, HookKind.REPLY);

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    AdditionalBeanBuildItem runtimeBeans() {
        return AdditionalBeanBuildItem.unremovableOf(ProtocolManager.class);
    }

    /** A {@code @Protocol} class is a singleton bean unless it declares a scope of its own. */
    @BuildStep
    AutoAddScopeBuildItem protocolScope() {
        return AutoAddScopeBuildItem.builder()
                .isAnnotatedWith(PROTOCOL)
                .defaultScope(BuiltinScope.SINGLETON)
                .unremovable()
                .reason("SMProtocol: @Protocol class")
                .build();
    }

    @BuildStep
    UnremovableBeanBuildItem protocolsUnremovable() {
        return new UnremovableBeanBuildItem(new UnremovableBeanBuildItem.BeanClassAnnotationExclusion(PROTOCOL));
    }

    /** Lets {@code @Blocking}, {@code @NonBlocking} and {@code @RunOnVirtualThread} stand on hook methods. */
    @BuildStep
    ExecutionModelAnnotationsAllowedBuildItem executionModelOnHooks() {
        return new ExecutionModelAnnotationsAllowedBuildItem(
                method -> HOOK_ANNOTATIONS.stream().anyMatch(method::hasDeclaredAnnotation));
    }

    /** Hook annotations on a class without {@code @Protocol} would silently do nothing: fail instead. */
    @BuildStep
    void hooksOutsideProtocols(BeanArchiveIndexBuildItem beanArchive, BuildProducer<ValidationErrorBuildItem> errors) {
        IndexView index = beanArchive.getIndex();
        for (DotName hookAnnotation : HOOK_ANNOTATIONS) {
            for (AnnotationInstance annotation : index.getAnnotations(hookAnnotation)) {
                if (annotation.target().kind() != AnnotationTarget.Kind.METHOD) {
                    continue;
                }
                MethodInfo method = annotation.target().asMethod();
                if (!method.declaringClass().hasDeclaredAnnotation(PROTOCOL)) {
                    errors.produce(new ValidationErrorBuildItem(new HookDefinitionException(String.format(
                            "@%s hook %s is declared on a class without @Protocol; annotate %s with @Protocol(\"name\")",
                            hookAnnotation.withoutPackagePrefix(), HookSignatures.describe(method),
                            method.declaringClass().name()))));
                }
            }
        }
    }

    /** The built-in codecs, so that codec checks find them in the index like an application's own. */
    @BuildStep
    AdditionalIndexedClassesBuildItem builtInCodecs() {
        return new AdditionalIndexedClassesBuildItem(LineCodec.class.getName(), RespCodec.class.getName(),
                MemcachedCodec.class.getName(), SmtpCodec.class.getName());
    }

    @BuildStep
    void discoverProtocols(BeanDiscoveryFinishedBuildItem beanDiscovery, InvokerFactoryBuildItem invokerFactory,
            CombinedIndexBuildItem combinedIndex, BuildProducer<ProtocolBuildItem> protocols,
            BuildProducer<ValidationErrorBuildItem> errors) {
        Map<String, String> classByName = new HashMap<>();
        for (BeanInfo bean : beanDiscovery.beanStream().classBeans()
                .filter(b -> b.getTarget().get().asClass().hasDeclaredAnnotation(PROTOCOL))) {
            ClassInfo beanClass = bean.getTarget().get().asClass();
            try {
                String name = protocolName(beanClass);
                String other = classByName.putIfAbsent(name, beanClass.name().toString());
                if (other != null) {
                    throw new HookDefinitionException(String.format(
                            "Two protocols are named '%s': %s and %s; protocol names must be unique", name, other,
                            beanClass.name()));
                }
                String codec = codecClass(beanClass, combinedIndex.getIndex());
                String singletonBean = singleton(bean) ? bean.getIdentifier() : null;
                protocols.produce(new ProtocolBuildItem(name, beanClass.name().toString(),
                        findHooks(bean, beanClass, invokerFactory), codec, singletonBean));
            } catch (HookDefinitionException e) {
                errors.produce(new ValidationErrorBuildItem(e));
            }
        }
    }

    /** @return the codec class named by {@code @Protocol(codec = ...)}, checked to be instantiable */
    private static String codecClass(ClassInfo beanClass, IndexView index) {
        AnnotationValue value = beanClass.declaredAnnotation(PROTOCOL).value("codec");
        DotName codec = value == null ? LINE_CODEC : value.asClass().name();
        ClassInfo codecInfo = index.getClassByName(codec);
        if (codecInfo == null || !codecInfo.interfaceNames().contains(CODEC)
                || Modifier.isAbstract(codecInfo.flags()) || !Modifier.isPublic(codecInfo.flags())
                || codecInfo.method("<init>") == null || !Modifier.isPublic(codecInfo.method("<init>").flags())) {
            throw new HookDefinitionException(String.format(
                    "@Protocol on %s: the codec %s must be a public class implementing io.smprotocol.Codec with a "
                            + "public no-argument constructor",
                    beanClass.name(), codec));
        }
        return codec.toString();
    }

    private static String protocolName(ClassInfo beanClass) {
        String name = beanClass.declaredAnnotation(PROTOCOL).value().asString().trim();
        if (name.isEmpty() || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new HookDefinitionException(String.format(
                    "@Protocol on %s: the name '%s' must be letters, digits, '.', '_' or '-' (it is used in "
                            + "configuration keys)",
                    beanClass.name(), name));
        }
        return name;
    }

    private static List<FoundHook> findHooks(BeanInfo bean, ClassInfo beanClass, InvokerFactoryBuildItem invokerFactory) {
        List<FoundHook> hooks = new ArrayList<>();
        Map<String, String> singleHooks = new HashMap<>();
        for (MethodInfo method : beanClass.methods()) {
            for (Map.Entry<DotName, HookKind> entry : HOOK_KINDS.entrySet()) {
                AnnotationInstance annotation = method.declaredAnnotation(entry.getKey());
                if (annotation == null) {
                    continue;
                }
                HookKind kind = entry.getValue();
                String annotationName = "@" + entry.getKey().withoutPackagePrefix();
                String key = switch (kind) {
                    case COMMAND -> annotationName + "(\"" + verb(annotation, method) + "\")";
                    case SEQUENCE -> null;
                    default -> annotationName;
                };
                if (key != null) {
                    String other = singleHooks.putIfAbsent(key, HookSignatures.describe(method));
                    if (other != null) {
                        throw new HookDefinitionException(String.format(
                                "Protocol class %s has two %s hooks: %s and %s; a protocol has at most one",
                                beanClass.name(), key, other, HookSignatures.describe(method)));
                    }
                }
                hooks.add(hook(bean, method, kind, annotationName, annotation, invokerFactory));
            }
        }
        return hooks;
    }

    private static FoundHook hook(BeanInfo bean, MethodInfo method, HookKind kind, String annotationName,
            AnnotationInstance annotation, InvokerFactoryBuildItem invokerFactory) {
        if (Modifier.isPrivate(method.flags()) || Modifier.isStatic(method.flags())) {
            throw new HookDefinitionException(String.format("%s hook %s must be neither private nor static",
                    annotationName, HookSignatures.describe(method)));
        }
        List<ArgumentKind> arguments = HookSignatures.arguments(kind, annotationName, method);
        boolean asynchronous = HookSignatures.validateReturnType(kind, annotationName, method);
        ExecutionModel model = HookSignatures.executionModel(method, asynchronous);
        String verb = kind == HookKind.COMMAND ? verb(annotation, method) : null;
        List<String> sequence = kind == HookKind.SEQUENCE ? sequence(annotation, method) : List.of();

        InvokerBuilder invoker = invokerFactory.createInvoker(bean, method);
        if (!singleton(bean)) {
            // a singleton's instance is looked up once at runtime (ProtocolDefinition.withSingletonInstance)
            invoker.withInstanceLookup();
        }
        if (method.returnType().name().equals(UNI)) {
            invoker.withReturnValueTransformer(io.smallrye.mutiny.Uni.class, "subscribeAsCompletionStage");
        }
        return new FoundHook(kind, verb, sequence, arguments, model, HookSignatures.describe(method), invoker.build());
    }

    private static boolean singleton(BeanInfo bean) {
        return BuiltinScope.SINGLETON.is(bean.getScope());
    }

    private static String verb(AnnotationInstance annotation, MethodInfo method) {
        String verb = annotation.value().asString();
        return checkedVerb(verb, "@OnCommand hook " + HookSignatures.describe(method));
    }

    private static List<String> sequence(AnnotationInstance annotation, MethodInfo method) {
        String where = "@OnSequence hook " + HookSignatures.describe(method);
        String[] steps = annotation.value() == null ? new String[0] : annotation.value().asStringArray();
        if (steps.length == 0) {
            throw new HookDefinitionException(where + ": the sequence is empty; name at least one command verb");
        }
        List<String> verbs = new ArrayList<>();
        for (String step : steps) {
            verbs.add(checkedVerb(step, where));
        }
        return verbs;
    }

    private static String checkedVerb(String verb, String where) {
        if (verb == null || verb.isBlank() || verb.chars().anyMatch(Character::isWhitespace)) {
            throw new HookDefinitionException(String.format(
                    "%s: '%s' is not a command verb; a verb is one token without blanks", where, verb));
        }
        return verb.toUpperCase(Locale.ROOT);
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    @Produce(ServiceStartBuildItem.class)
    @Produce(ListenersStartedBuildItem.class)
    @Consume(PortsCheckedBuildItem.class)
    void startProtocols(SmProtocolRecorder recorder, List<ProtocolBuildItem> protocols, RecorderContext recorderContext,
            ShutdownContextBuildItem shutdown, CoreVertxBuildItem vertx, BeanContainerBuildItem beanContainer,
            MicrometerBuildItem micrometer) {
        List<ProtocolDefinition> definitions = new ArrayList<>();
        for (ProtocolBuildItem protocol : protocols) {
            List<HookMethod> hooks = new ArrayList<>();
            for (FoundHook hook : protocol.hooks()) {
                hooks.add(new HookMethod(hook.kind(), hook.verb(), hook.sequence(), hook.arguments(),
                        hook.executionModel(), hook.description(), invoker(recorderContext, hook)));
            }
            definitions.add(new ProtocolDefinition(protocol.name(), protocol.beanClass(), hooks,
                    codec(recorderContext, protocol.codecClass()), protocol.singletonBean()));
        }
        recorder.start(definitions, shutdown, micrometer.present());
    }

    @BuildStep
    MicrometerBuildItem micrometer(Optional<MetricsCapabilityBuildItem> metrics) {
        return new MicrometerBuildItem(metrics.map(m -> m.metricsSupported(MetricsFactory.MICROMETER)).orElse(false));
    }

    @SuppressWarnings("unchecked")
    private static RuntimeValue<Codec> codec(RecorderContext context, String codecClass) {
        return (RuntimeValue<Codec>) (RuntimeValue<?>) context.newInstance(codecClass);
    }

    @SuppressWarnings("unchecked")
    private static RuntimeValue<jakarta.enterprise.invoke.Invoker<Object, Object>> invoker(RecorderContext context,
            FoundHook hook) {
        return (RuntimeValue<jakarta.enterprise.invoke.Invoker<Object, Object>>) (RuntimeValue<?>) context
                .newInstance(hook.invoker().getClassName());
    }
}
